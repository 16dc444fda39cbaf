package main

import (
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/words"
)

// securityConfig is what the security flags ask for. A --host given as a
// name (mybox.lan) is a name of this server too.
func (o options) securityConfig() devserver.Security {
	sec := o.security
	sec.AllowHint = func(host string) string { return "start hotserve with --allowed-host " + shellWord(host) }
	if o.host != "localhost" && net.ParseIP(o.host) == nil {
		sec.AllowedHosts = append(slices.Clone(sec.AllowedHosts), o.host)
	}
	return sec
}

// shellWord quotes s for a shell command line when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(strings.ToLower(s), "abcdefghijklmnopqrstuvwxyz0123456789.-_:/") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// exposureNotes are the banner's warnings for every setting that lets more
// in than the defaults do, each naming where it came from: the flag, or
// the settings file. See SECURITY.md. A trusted file's commands and
// addresses are named too, so that what runs is never a surprise.
func exposureNotes(o options, root string) []string {
	var notes []string
	warn := func(key, flagText, what string) {
		notes = append(notes, "warning: "+o.source(key, flagText)+": "+what)
	}
	if !isLoopback(o.host) {
		warn("host", "--host "+o.host, fmt.Sprintf("anyone on your network can read %s; use --host localhost to keep it on this machine", root))
	}
	if o.security.Dotfiles {
		warn("dotfiles", "--dotfiles", ".env, .git/, keys and other dotfiles are served and listed")
	}
	if o.security.FollowSymlinks {
		warn("follow-symlinks", "--follow-symlinks", "links that leave "+root+" are followed; any file they point at can be read")
	}
	if len(o.security.CORSOrigins) > 0 {
		warn("cors", "--cors", "pages of "+strings.Join(o.security.CORSOrigins, ", ")+" can read everything served here")
	}
	if hosts := o.security.AllowedHosts; len(hosts) > 0 {
		warn("allowed-host", "--allowed-host", "requests for "+strings.Join(hosts, ", ")+" are answered; whoever controls "+
			words.Plural(len(hosts), "that name", "those names")+" can have a browser read everything served here")
	}
	for _, k := range o.fileSet {
		if k.risk == runs || k.risk == connects {
			notes = append(notes, fmt.Sprintf("%s = %s (from %s, trusted): %s", k.key, k.value, o.config, riskText[k.risk]))
		}
	}
	return notes
}

// source names where the setting key came from, for a warning: the
// settings file if it set it, else the flag, as flagText shows it.
func (o options) source(key, flagText string) string {
	for _, k := range o.fileSet {
		if k.key == key {
			return fmt.Sprintf("%s = %s (from %s)", k.key, k.value, o.config)
		}
	}
	return flagText
}

// localURL is the URL to open on this machine. Listening on all
// interfaces, that is the loopback address: "0.0.0.0" is not a name
// hotserve answers to.
func localURL(ln net.Listener) string {
	addr := ln.Addr().String()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		addr = net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	return "http://" + addr + "/"
}

// networkURLs lists the URLs other machines can use when hotserve listens
// beyond this one: every address of an interface that is up, when
// listening on all of them.
func networkURLs(host string, ln net.Listener) []string {
	if isLoopback(host) {
		return nil
	}
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return nil
	}
	if !tcp.IP.IsUnspecified() {
		return []string{fmt.Sprintf("http://%s/", ln.Addr())}
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var urls []string
	for _, a := range addrs {
		ipnet, ok := a.(*net.IPNet)
		if !ok || ipnet.IP.IsLoopback() || ipnet.IP.IsLinkLocalUnicast() || (host == "0.0.0.0" && ipnet.IP.To4() == nil) {
			continue
		}
		urls = append(urls, fmt.Sprintf("http://%s/", net.JoinHostPort(ipnet.IP.String(), fmt.Sprint(tcp.Port))))
	}
	return urls
}
