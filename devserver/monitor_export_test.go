package devserver

// SampleNow takes a monitor sample at once and pushes the status page's
// figures, so that a test compares the page with a history that holds
// still (its interval can then be long).
func SampleNow(s *Server) {
	s.mon.sampler.Sample()
	s.pushStatus()
}

// PendingPaints is how many save-to-paint times wait for the next sample.
func PendingPaints(s *Server) int {
	s.mon.mu.Lock()
	defer s.mon.mu.Unlock()
	return len(s.mon.paints)
}

// SampleOnly takes a monitor sample, and nothing else: its cost is the
// monitor's.
func SampleOnly(s *Server) { s.mon.sampler.Sample() }
