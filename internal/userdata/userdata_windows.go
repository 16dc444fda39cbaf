package userdata

import (
	"errors"
	"os"
)

// base is %LOCALAPPDATA%: per user and per machine (not roaming), as data
// about this machine's folders should be. Its ACL already keeps other
// users out; the modes WriteFile asks for mean little on Windows.
func base() (string, error) {
	dir := os.Getenv("LOCALAPPDATA")
	if dir == "" {
		return "", errors.New("%LOCALAPPDATA% is not set; set it to say where hotserve keeps its data")
	}
	return dir, nil
}
