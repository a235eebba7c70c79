// The real-node tier's own small programs, standard library only: the load generator that runs as a
// pod on the pod network, and the forwarder that lets processes on the host reach the API server in
// the node's network namespace over loopback.
module shopcluster.dev/hack/realnode

go 1.22
