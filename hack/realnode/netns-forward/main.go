// netns-forward listens on a loopback address of the network namespace it starts in and forwards every
// connection to an address inside another network namespace, so processes on the host (the test JVM,
// kubectl, helm) reach the real node's API server without any address outside loopback and that
// namespace.
//
//	netns-forward -netns /run/netns/NAME -connect 10.250.0.10:6443 [-listen 127.0.0.1:0] [-port-file F]
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on, in the namespace this starts in")
	netns := flag.String("netns", "", "network namespace file of the target, e.g. /run/netns/NAME")
	connect := flag.String("connect", "", "address to forward to, inside that namespace")
	portFile := flag.String("port-file", "", "file to write the listening port to once listening")
	flag.Parse()
	if *netns == "" || *connect == "" {
		flag.Usage()
		os.Exit(2)
	}
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	port := listener.Addr().(*net.TCPAddr).Port
	if *portFile != "" {
		if err := os.WriteFile(*portFile+".tmp", []byte(fmt.Sprintln(port)), 0o644); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(*portFile+".tmp", *portFile); err != nil {
			log.Fatal(err)
		}
	}
	log.Printf("forwarding %s to %s in %s", listener.Addr(), *connect, *netns)
	for {
		client, err := listener.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go forward(client, *netns, *connect)
	}
}

func forward(client net.Conn, netns, connect string) {
	defer client.Close()
	target, err := dialIn(netns, connect)
	if err != nil {
		log.Printf("dial %s in %s: %v", connect, netns, err)
		return
	}
	defer target.Close()
	var wg sync.WaitGroup
	wg.Add(2)
	go pipe(&wg, target, client)
	go pipe(&wg, client, target)
	wg.Wait()
}

func pipe(wg *sync.WaitGroup, to, from net.Conn) {
	defer wg.Done()
	io.Copy(to, from)
	if tcp, ok := to.(*net.TCPConn); ok {
		tcp.CloseWrite()
	}
}

// dialIn opens the connection from a thread that joined the target namespace: a socket belongs to the
// namespace it was created in. The thread stays locked and ends with its goroutine, so it never serves
// another goroutine in the wrong namespace.
func dialIn(netns, address string) (net.Conn, error) {
	type result struct {
		conn net.Conn
		err  error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		file, err := os.Open(netns)
		if err != nil {
			done <- result{nil, err}
			return
		}
		defer file.Close()
		if _, _, errno := syscall.RawSyscall(sysSetns, file.Fd(), syscall.CLONE_NEWNET, 0); errno != 0 {
			done <- result{nil, fmt.Errorf("setns: %w", errno)}
			return
		}
		conn, err := net.DialTimeout("tcp", address, 10*time.Second)
		done <- result{conn, err}
	}()
	r := <-done
	return r.conn, r.err
}
