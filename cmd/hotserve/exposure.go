package main

import (
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/hotserve/hotserve/devserver"
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
	if s != "" && strings.Trim(strings.ToLower(s), "abcdefghijklmnopqrstuvwxyz0123456789.-_:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// exposureNotes are the banner's warnings for every setting that lets more
// in than the defaults do. See SECURITY.md.
func exposureNotes(o options, root string) []string {
	var notes []string
	if !isLoopback(o.host) {
		notes = append(notes, fmt.Sprintf("warning: --host %s: anyone on your network can read %s; use --host localhost to keep it on this machine", o.host, root))
	}
	if o.security.Dotfiles {
		notes = append(notes, "warning: --dotfiles: .env, .git/, keys and other dotfiles are served and listed")
	}
	if o.security.FollowSymlinks {
		notes = append(notes, "warning: --follow-symlinks: links that leave "+root+" are followed; any file they point at can be read")
	}
	if len(o.security.CORSOrigins) > 0 {
		notes = append(notes, "warning: --cors: pages of "+strings.Join(o.security.CORSOrigins, ", ")+" can read everything served here")
	}
	return notes
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
