//go:build tools

// Package tools pins the commands this module builds: kube-apiserver and kubectl of the oldest
// Kubernetes version the CRD supports, for the API-server tier's second run (`make test-oldest`).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
