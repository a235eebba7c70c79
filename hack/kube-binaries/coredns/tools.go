//go:build tools

// Package tools pins CoreDNS, the real node's cluster DNS (hack/realnode builds its image).
package tools

import (
	_ "github.com/coredns/coredns"
)
