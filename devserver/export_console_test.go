package devserver

// Token is the server's token, which its pages carry, so that tests can
// make the requests a page makes.
func Token(s *Server) string { return s.guard.token }

// How many console lines a tab may print at once, and then each second;
// each foldWait at most one line more says what was folded or left out.
const (
	ConsoleBurst = consoleBurst
	ConsoleRate  = consoleRate
	FoldWait     = foldWait
)
