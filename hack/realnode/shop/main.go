// shop is the real-node tier's stand-in for a shop: an HTTP server on :8080 that answers /healthz with
// "ok", /env/NAME with the value of its environment variable NAME (so a test sees what a Secret put
// there), and every other path with the name of its pod (the hostname), so traffic tests see which pod
// served each request. One static binary, no process per request: cheap enough for dozens of pods
// probed every second on two cores.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
)

func main() {
	name, err := os.Hostname()
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("/env/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, os.Getenv(strings.TrimPrefix(r.URL.Path, "/env/")))
	})
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, name)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
