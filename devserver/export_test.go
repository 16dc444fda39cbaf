package devserver

// Broadcast sends a message of type typ with title and text to every tab,
// as a failing build (build-error) or a fixed one (build-ok) does, so that
// browser tests can look at the overlay.
func Broadcast(s *Server, typ, title, text string) int {
	return s.updates.tabs.broadcast(message{Type: typ, Title: title, Text: text})
}
