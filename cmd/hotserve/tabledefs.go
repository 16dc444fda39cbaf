package main

// tableDef declares one table of hotserve.toml: settings whose shape a flag
// cannot hold, such as headers by URL glob, several named backends, or
// thresholds grouped under one heading. Like a flagDef it is declared once,
// and the settings file's keys, its trust and `hotserve init` come from it.
type tableDef struct {
	// name is the table's key: [name], [[name]] or [name.sub].
	name string
	// usage says what the table is for, in hotserve init's comment.
	usage string
	// example is the table as a person would write it, for hotserve init,
	// which writes it commented out.
	example string
	// decode reads the table's TOML value into the options: a
	// map[string]any for [name] and [name.sub], a []map[string]any for
	// [[name]]. Its error says what is wrong and what is valid, in one
	// line; the caller names the file and the line.
	decode func(v any) error
	// value is the table's effective value as text, for the status page
	// and to tell whether a settings file read again changed it.
	value func() string
	// risk is what the table can do when someone else wrote it, as for a
	// flagDef: a table that is not harmless applies only from a trusted
	// file.
	risk risk
}

// tableDefs declares every table of hotserve.toml, writing into o, in the
// order hotserve init writes them.
func tableDefs(o *options) []tableDef {
	return []tableDef{
		mountsTable(o),
		backendTable(o),
		{name: "headers", risk: loosens, usage: "response headers by URL path: for is a glob on the path, then Name = \"value\" lines; later tables win, --header over all", example: headersExample, decode: o.responses.decodeHeaders, value: o.responses.headersText},
		monitorTable(&o.monitor.Thresholds),
	}
}
