package esm

import (
	"bytes"
	"os"
	"testing"
)

// minifiedChunk is a slice of what esbuild emits for an app: one long line,
// few imports, dense operators, regular expressions and templates.
const minifiedChunk = `var Xe=Object.defineProperty;var Ye=(t,e,n)=>e in t?Xe(t,e,{enumerable:!0,configurable:!0,writable:!0,value:n}):t[e]=n;` +
	`function Ze(t){return t.replace(/[&<>"']/g,e=>({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"})[e])}` +
	"const et=(t,e)=>`<li class=\"${e?\"on\":\"\"}\">${Ze(t.name)}</li>`,tt=t=>t.length/2|0;" +
	`class nt extends HTMLElement{static get observedAttributes(){return["count"]}connectedCallback(){this.n=tt(this.dataset.v||"")/1e3;` +
	`this.addEventListener("click",()=>{this.n++,this.render()})}render(){this.innerHTML=et({name:"n="+this.n},this.n>1)}}` +
	`customElements.define("x-"+Math.random().toString(36).slice(2),nt);if(/^\/app\//.test(location.pathname))import("./route-4KQ.js");`

// benchSource repeats seed to about n bytes.
func benchSource(seed []byte, n int) []byte {
	return bytes.Repeat(seed, n/len(seed)+1)[:n]
}

func benchScan(b *testing.B, src []byte) {
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Scan(src)
	}
}

// BenchmarkScan scans a 100 KB module, hand-written (the Lit and Preact
// modules of testdata, repeated) and minified.
func BenchmarkScan(b *testing.B) {
	var seed []byte
	for _, name := range []string{"testdata/lit-element.js", "testdata/preact-app.js"} {
		src, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		seed = append(seed, bytes.TrimPrefix(src, []byte("#!/usr/bin/env node\n"))...)
	}
	b.Run("module-100KB", func(b *testing.B) {
		benchScan(b, benchSource(seed, 100<<10))
	})
	b.Run("minified-100KB", func(b *testing.B) {
		benchScan(b, benchSource([]byte(minifiedChunk), 100<<10))
	})
}
