# --- Real node: a one-node Kubernetes with a real kubelet, containerd, CNI, kube-proxy and CoreDNS ----
# (hack/realnode/node.sh). Its binaries and images are cached under the hash of what they are built
# from, so a second run, or a fresh clone of the same sources, builds nothing.

REALNODE_CACHE  ?= $(HOME)/.cache/shop-operator
REALNODE_HASH    = $(shell cat $(1) | sha256sum | cut -c1-12)
COREDNS_BINARY  := $(REALNODE_CACHE)/coredns-$(call REALNODE_HASH,hack/kube-binaries/coredns/go.sum)
NETNS_FORWARD   := $(REALNODE_CACHE)/netns-forward-$(call REALNODE_HASH,hack/realnode/go.mod $(wildcard hack/realnode/netns-forward/*.go))
# The images also change with the CoreDNS and HAProxy builds, whose names carry their own hashes.
REALNODE_IMAGES := $(REALNODE_CACHE)/realnode-images-$(shell { cat hack/realnode/images.sh hack/image/docker-archive.sh \
                     hack/realnode/go.mod $$(find hack/realnode/pause hack/realnode/loadgen hack/realnode/shop -type f | sort); \
                     echo $(notdir $(COREDNS_BINARY) $(HAPROXY_DIR)); } | sha256sum | cut -c1-12)
OPERATOR_IMAGE  := target/shop-operator-image.oci.tar
KUBE_NODE_BINARIES := $(KUBE_BIN_DIR)/kubelet $(KUBE_BIN_DIR)/kube-proxy
REALNODE_PACKAGES := containerd runc containernetworking-plugins iptables conntrack jq gcc libc6-dev
# What the real-node tests read (RealNode, the JUnit fixture that starts and stops the node).
REALNODE_PROPS  = -Drealnode.images=$(REALNODE_IMAGES) -Drealnode.forward=$(NETNS_FORWARD) \
                  -Drealnode.operator-image=$(abspath $(OPERATOR_IMAGE))

.PHONY: realnode-tools
realnode-tools: ## Install containerd, runc, the CNI plugins, iptables, conntrack (Debian packages) when missing
	@missing=$$(for p in $(REALNODE_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    echo "installing:" $$missing; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	  fi

.PHONY: realnode
realnode: realnode-tools kube-binaries $(KUBE_NODE_BINARIES) $(NETNS_FORWARD) $(REALNODE_IMAGES)/haproxy.tar $(OPERATOR_IMAGE) ## Build what the real node needs: kubelet, kube-proxy, CoreDNS, images (cached)

$(COREDNS_BINARY):
	@mkdir -p $(REALNODE_CACHE)
	cd hack/kube-binaries/coredns && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o $@.tmp \
	  github.com/coredns/coredns && mv $@.tmp $@

$(NETNS_FORWARD):
	@mkdir -p $(REALNODE_CACHE)
	cd hack/realnode && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o $@.tmp ./netns-forward && mv $@.tmp $@

$(REALNODE_IMAGES)/haproxy.tar: $(HAPROXY_BINARY) $(COREDNS_BINARY)
	rm -rf $(REALNODE_IMAGES).tmp
	$(SUDO) hack/realnode/images.sh $(REALNODE_IMAGES).tmp $(HAPROXY_DIR)/root $(COREDNS_BINARY)
	rm -rf $(REALNODE_IMAGES) && mv $(REALNODE_IMAGES).tmp $(REALNODE_IMAGES)

# The operator image, rebuilt when the operator's sources change.
$(OPERATOR_IMAGE): pom.xml $(shell find src/main -type f)
	$(MAKE) image

.PHONY: realnode-up realnode-down
realnode-up: realnode ## Start the real node and leave it running (kubeconfig: target/realnode/kubeconfig)
	$(SUDO) env KUBE_BIN_DIR=$(KUBE_BIN_DIR) REALNODE_IMAGES=$(REALNODE_IMAGES) REALNODE_FORWARD=$(NETNS_FORWARD) \
	  OPERATOR_IMAGE=$(OPERATOR_IMAGE) REALNODE_DIR=target/realnode hack/realnode/node.sh start

realnode-down: ## Stop the real node and remove everything it made
	$(SUDO) env KUBE_BIN_DIR=$(KUBE_BIN_DIR) REALNODE_DIR=target/realnode hack/realnode/node.sh stop

.PHONY: test-realnode
test-realnode: tools realnode ## Run only the real-node tier
	$(MVN) verify -Dit.test='dev.shopcluster.operator.realnode.*IT' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  $(MVN_KUBE) $(REALNODE_PROPS)

# How many config-only changes and switchovers bench-e2e makes in a row, for its percentiles.
CONFIG_CHANGES ?= 50
SWITCHOVERS    ?= 10

.PHONY: bench-e2e
bench-e2e: tools realnode ## Real-node figures: killed primary, promotion, switchover and config change, through the Service
	$(MVN) verify -Dit.test=ActiveStandbyOnRealNodeIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  -Drealnode.config-changes=$(CONFIG_CHANGES) -Drealnode.switchovers=$(SWITCHOVERS) \
	  $(MVN_KUBE) $(REALNODE_PROPS) | sed -n '/^==== /,/^====$$/p'
