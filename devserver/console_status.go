package devserver

import "time"

// keptConsole is how many console lines the status page lists.
const keptConsole = 50

// consoleLine is one row of the status page's "Browser console": a
// line as the terminal printed it, its text bounded already.
type consoleLine struct {
	At      time.Time `json:"at"`
	Page    string    `json:"page"`
	Level   string    `json:"level"`
	Text    string    `json:"text"`
	Where   string    `json:"where,omitempty"`
	Repeats int       `json:"repeats,omitempty"`
}

// recordConsole adds a line to the status page's list.
func (st *status) recordConsole(c consoleLine) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.console = append(st.console, c)
	if len(st.console) > keptConsole {
		st.console = st.console[len(st.console)-keptConsole:]
	}
}
