package main

import (
	"strings"

	"rsc.io/qr"
)

// qrText draws a QR code of text with half-block characters, two modules
// per character cell, with the quiet zone scanners need around it. It is
// drawn dark-on-light whatever the terminal's colours, since phones read
// inverted codes poorly. It returns "" if text cannot be encoded.
func qrText(text, indent string) string {
	code, err := qr.Encode(text, qr.L)
	if err != nil {
		return ""
	}
	const quiet = 2
	dark := func(x, y int) bool {
		x, y = x-quiet, y-quiet
		return x >= 0 && y >= 0 && x < code.Size && y < code.Size && code.Black(x, y)
	}
	size := code.Size + 2*quiet
	var sb strings.Builder
	for y := 0; y < size; y += 2 {
		sb.WriteString(indent + "\x1b[30;47m") // black on white
		for x := range size {
			switch top, bottom := dark(x, y), dark(x, y+1); {
			case top && bottom:
				sb.WriteString("█")
			case top:
				sb.WriteString("▀")
			case bottom:
				sb.WriteString("▄")
			default:
				sb.WriteString(" ")
			}
		}
		sb.WriteString("\x1b[0m\n")
	}
	return sb.String()
}
