// loadgen sends HTTP GET requests at a fixed rate to one URL, from a pod on the real node's pod network,
// and prints one line per request, in the order they complete:
//
//	SEQ SENT_UNIX_MICROS LATENCY_MICROS STATUS POD KEY
//
// STATUS is the HTTP status, or ERR when no response came (POD is then the error class); POD is the
// first word of the body (the test shop answers with its pod's name), "-" when there is none; KEY is
// the value sent in the -header header, "-" without one. A line "done SENT" ends a complete run.
// With -await, it first waits until the URL answers 200 (a new Service's rules take a moment to reach
// kube-proxy), so the run measures the Service, not its setup. Requests are started on schedule whether or not earlier ones answered (an open loop), each on a new
// connection, so a stalled server shows as a gap rather than slowing the load.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

func main() {
	url := flag.String("url", "", "URL to request")
	rate := flag.Float64("rate", 50, "requests per second")
	duration := flag.Duration("duration", time.Minute, "how long to send")
	timeout := flag.Duration("timeout", 5*time.Second, "per-request timeout")
	header := flag.String("header", "", "header to send a key in, e.g. X-Session-Id")
	keys := flag.Int("keys", 100, "number of distinct keys, sent in turn, with -header")
	await := flag.Duration("await", 0, "first wait at most this long until the URL answers 200")
	flag.Parse()
	if *url == "" || *rate <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	client := &http.Client{
		Timeout:   *timeout,
		Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
	}
	if !answers(client, *url, *await) {
		fmt.Printf("%s did not answer 200 within %s\n", *url, *await)
		os.Exit(1)
	}
	lines := make(chan string, 1024)
	out := bufio.NewWriter(os.Stdout)
	printed := make(chan struct{})
	go func() {
		for line := range lines {
			out.WriteString(line)
			out.WriteByte('\n')
			if len(lines) == 0 {
				out.Flush()
			}
		}
		out.Flush()
		close(printed)
	}()

	interval := time.Duration(float64(time.Second) / *rate)
	start := time.Now()
	var wg sync.WaitGroup
	sent := 0
	for next := start; next.Sub(start) < *duration; next = next.Add(interval) {
		time.Sleep(time.Until(next))
		key := "-"
		if *header != "" {
			key = fmt.Sprintf("key-%d", sent%*keys)
		}
		wg.Add(1)
		go func(seq int, key string) {
			defer wg.Done()
			lines <- request(client, *url, *header, seq, key)
		}(sent, key)
		sent++
	}
	wg.Wait()
	lines <- fmt.Sprintf("done %d", sent)
	close(lines)
	<-printed
}

func answers(client *http.Client, url string, within time.Duration) bool {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
	}
	return within == 0
}

func request(client *http.Client, url, header string, seq int, key string) string {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		panic(err)
	}
	if header != "" {
		req.Header.Set(header, key)
	}
	sent := time.Now()
	status, pod := "ERR", "-"
	resp, err := client.Do(req)
	if err != nil {
		pod = errorClass(err)
	} else {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		status = fmt.Sprint(resp.StatusCode)
		if fields := strings.Fields(string(body)); resp.StatusCode == http.StatusOK && len(fields) > 0 {
			pod = fields[0]
		}
	}
	return fmt.Sprintf("%d %d %d %s %s %s", seq, sent.UnixMicro(), time.Since(sent).Microseconds(), status, pod, key)
}

// errorClass names why a request got no response, in one word.
func errorClass(err error) string {
	var netErr net.Error
	var opErr *net.OpError
	switch {
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return "connect"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "closed"
	default:
		return "error"
	}
}
