// shop is the real-node tier's stand-in for a shop: an HTTP server on :8080 that answers /healthz with
// "ok" and every other path with the name of its pod (the hostname), so traffic tests see which pod
// served each request. One static binary, no process per request: cheap enough for dozens of pods
// probed every second on two cores.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	name, err := os.Hostname()
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, name)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
