# ShopCluster operator — build, test and tooling entry points.
# Every tool the tests need is installed or built from here; nothing is installed by hand.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The one source of the Kubernetes version: the Go module the binaries are built from.
KUBE_VERSION       := $(shell sed -n 's/^[[:space:]]*k8s.io\/kubernetes v//p' hack/kube-binaries/kubernetes/go.mod)
ETCD_VERSION       := $(shell sed -n 's/^require go.etcd.io\/etcd\/server\/v3 v//p' hack/kube-binaries/etcd/go.mod)
GOARCH             := $(shell go env GOARCH 2>/dev/null || echo amd64)
# kube-api-test reads binaries from $KUBE_API_TEST_DIR/k8s/<version>-<os>-<arch>/.
KUBE_API_TEST_DIR  ?= $(HOME)/.kubeapitest
KUBE_BIN_DIR       := $(KUBE_API_TEST_DIR)/k8s/$(KUBE_VERSION)-linux-$(GOARCH)
MVN                ?= mvn -B -ntp
# What the tests read (dev.shopcluster.operator.KubeBinaries); the pom has defaults for plain mvn.
MVN_KUBE           := -Dkube.api.test.dir=$(KUBE_API_TEST_DIR) -Dkube.version=$(KUBE_VERSION) -Dkube.arch=$(GOARCH)

# The oldest Kubernetes the CRD supports (CEL rules with fieldPath and reason came in 1.28): the
# API-server tier runs on it too (in `make test`, or alone with `make test-oldest`), with its own kube-apiserver and kubectl.
OLDEST_KUBE_VERSION := $(shell sed -n 's/^require k8s.io\/kubernetes v//p' hack/kube-binaries/kubernetes-oldest/go.mod)
OLDEST_KUBE_BIN_DIR := $(KUBE_API_TEST_DIR)/k8s/$(OLDEST_KUBE_VERSION)-linux-$(GOARCH)

# Version ldflags, so /version reports the module's version: $(call k8s-ldflags,1.34.4)
k8s-ldflags = -s -w \
  $(foreach p,k8s.io/component-base/version k8s.io/client-go/pkg/version,\
    -X $(p).gitVersion=v$(1) -X $(p).gitMajor=$(word 1,$(subst ., ,$(1))) \
    -X $(p).gitMinor=$(word 2,$(subst ., ,$(1))) -X $(p).gitTreeState=clean \
    -X $(p).buildDate=1970-01-01T00:00:00Z)
K8S_LDFLAGS := $(call k8s-ldflags,$(KUBE_VERSION))
ETCD_LDFLAGS := -s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=v$(ETCD_VERSION)

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

# --- Kubernetes binaries, built from their Go modules and cached -------------------------------

KUBE_BINARIES := $(KUBE_BIN_DIR)/kube-apiserver $(KUBE_BIN_DIR)/kubectl $(KUBE_BIN_DIR)/etcd \
                 $(KUBE_BIN_DIR)/kube-controller-manager $(KUBE_BIN_DIR)/kube-scheduler \
                 $(KUBE_BIN_DIR)/kwok $(KUBE_BIN_DIR)/helm

.PHONY: kube-binaries
kube-binaries: $(KUBE_BINARIES) ## Build kube-apiserver, etcd, kubectl, controller-manager, scheduler, kwok, helm (cached)

$(KUBE_BIN_DIR)/kube-apiserver $(KUBE_BIN_DIR)/kubectl $(KUBE_BIN_DIR)/kube-controller-manager $(KUBE_BIN_DIR)/kube-scheduler \
  $(KUBE_BIN_DIR)/kubelet $(KUBE_BIN_DIR)/kube-proxy: hack/kube-binaries/kubernetes/go.mod
	@mkdir -p $(KUBE_BIN_DIR)
	cd hack/kube-binaries/kubernetes && CGO_ENABLED=0 go build -trimpath -ldflags '$(K8S_LDFLAGS)' \
	  -o $@.tmp k8s.io/kubernetes/cmd/$(notdir $@) && mv $@.tmp $@

# The oldest supported version: kube-apiserver and kubectl of its own, etcd and helm shared.
.PHONY: kube-binaries-oldest
kube-binaries-oldest: $(OLDEST_KUBE_BIN_DIR)/kube-apiserver $(OLDEST_KUBE_BIN_DIR)/kubectl $(OLDEST_KUBE_BIN_DIR)/etcd \
  $(OLDEST_KUBE_BIN_DIR)/helm ## Build kube-apiserver and kubectl of the oldest supported Kubernetes (cached)

$(OLDEST_KUBE_BIN_DIR)/kube-apiserver $(OLDEST_KUBE_BIN_DIR)/kubectl: hack/kube-binaries/kubernetes-oldest/go.mod
	@mkdir -p $(OLDEST_KUBE_BIN_DIR)
	cd hack/kube-binaries/kubernetes-oldest && CGO_ENABLED=0 go build -trimpath \
	  -ldflags '$(call k8s-ldflags,$(OLDEST_KUBE_VERSION))' -o $@.tmp k8s.io/kubernetes/cmd/$(notdir $@) && mv $@.tmp $@

$(OLDEST_KUBE_BIN_DIR)/etcd $(OLDEST_KUBE_BIN_DIR)/helm: $(OLDEST_KUBE_BIN_DIR)/%: $(KUBE_BIN_DIR)/%
	@mkdir -p $(OLDEST_KUBE_BIN_DIR)
	ln -sf $< $@

$(KUBE_BIN_DIR)/kwok: hack/kube-binaries/kwok/go.mod
	@mkdir -p $(KUBE_BIN_DIR)
	cd hack/kube-binaries/kwok && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o $@.tmp sigs.k8s.io/kwok/cmd/kwok \
	  && mv $@.tmp $@

$(KUBE_BIN_DIR)/helm: hack/kube-binaries/helm/go.mod
	@mkdir -p $(KUBE_BIN_DIR)
	cd hack/kube-binaries/helm && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o $@.tmp helm.sh/helm/v3/cmd/helm \
	  && mv $@.tmp $@

$(KUBE_BIN_DIR)/etcd: hack/kube-binaries/etcd/go.mod
	@mkdir -p $(KUBE_BIN_DIR)
	cd hack/kube-binaries/etcd && CGO_ENABLED=0 go build -trimpath -ldflags '$(ETCD_LDFLAGS)' \
	  -o $@.tmp go.etcd.io/etcd/server/v3 && mv $@.tmp $@

# --- Data-plane tools from Debian's packages: a real DNS server, and network namespaces with iptables
# for the lost-node test (HAProxy: `make haproxy` below) --------------------------------------------

.PHONY: tools
tools: ## Install dnsmasq, iproute2 and iptables (Debian packages) when missing
	@missing=""; command -v dnsmasq >/dev/null || missing="$$missing dnsmasq-base"; \
	  command -v ip >/dev/null || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing="$$missing iproute2"; \
	  command -v iptables >/dev/null || [ -x /usr/sbin/iptables ] || missing="$$missing iptables"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	  fi
	@dnsmasq --version | head -1

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# HAProxy 3.0, the major the balancer image ships: Debian trixie's package in a debootstrapped root
# (the host's bookworm has 2.6), plus the same binary patched to run on the host for the data-plane tier.
# Cached under the script's content hash, so a fresh clone (new file times) rebuilds nothing.
HAPROXY_DIR    ?= $(HOME)/.cache/shop-operator/haproxy-3.0-trixie-$(shell sha256sum hack/haproxy/rootfs.sh | cut -c1-12)
HAPROXY_BINARY := $(HAPROXY_DIR)/bin/haproxy

.PHONY: haproxy haproxy-binary
haproxy: $(HAPROXY_BINARY) ## Build HAProxy 3.0 (Debian trixie) into a cached root filesystem and a host-runnable binary

haproxy-binary: ## Print the path of the host-runnable HAProxy 3.0 (for -Dhaproxy.binary=...)
	@echo $(HAPROXY_BINARY)

$(HAPROXY_BINARY):
	@command -v debootstrap >/dev/null && command -v patchelf >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends debootstrap patchelf; }
	$(SUDO) hack/haproxy/rootfs.sh $(HAPROXY_DIR)

# --- Build and test --------------------------------------------------------------------------------

# The data-plane tier runs this HAProxy (first on PATH too, for the reload script's `haproxy -c`).
DATAPLANE_HAPROXY := PATH=$(HAPROXY_DIR)/bin:$$PATH
DATAPLANE_FLAGS   := -Dhaproxy.binary=$(HAPROXY_BINARY)

.PHONY: unit
unit: ## Run the unit tests only (seconds; needs nothing but a JDK and Maven)
	$(MVN) test

.PHONY: test
test: tools haproxy kube-binaries kube-binaries-oldest realnode ## Run every test tier: unit, API server (on 1.34 and the oldest supported Kubernetes), data plane (HAProxy 3.0), simulated cluster, real node
	$(DATAPLANE_HAPROXY) $(MVN) verify $(DATAPLANE_FLAGS) $(MVN_KUBE) $(REALNODE_PROPS)
	$(TEST_OLDEST)

# The API-server tier on the oldest supported Kubernetes, but for what needs a newer one:
# ExternalServicesPolicyIT (ValidatingAdmissionPolicy v1, Kubernetes 1.30; ChildRejectionIT's policy
# test skips itself there, saying so).
OLDEST_ITS  := dev.shopcluster.operator.apiserver.*IT,!ExternalServicesPolicyIT
TEST_OLDEST  = $(MVN) verify -Dit.test='$(OLDEST_ITS)' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkube.api.test.dir=$(KUBE_API_TEST_DIR) -Dkube.version=$(OLDEST_KUBE_VERSION) -Dkube.arch=$(GOARCH)

.PHONY: test-oldest
test-oldest: kube-binaries-oldest ## Only the API-server tier on the oldest supported Kubernetes (see docs/compatibility.md)
	$(TEST_OLDEST)

.PHONY: fmt
fmt: ## Format the Java sources in place (Spotless with palantir-java-format)
	$(MVN) spotless:apply

.PHONY: fmt-check
fmt-check: ## Fail when a Java source is not formatted; `make fmt` fixes it
	$(MVN) spotless:check

.PHONY: crds
crds: ## Regenerate the CRD from the API classes into crds/ and the Helm chart
	$(MVN) -q process-classes
	for dir in crds helm/shop-operator/crds; do \
	  mkdir -p $$dir && cp target/classes/META-INF/fabric8/shopclusters.shopcluster.dev-v1.yml $$dir/; done

.PHONY: docs
docs: ## Regenerate the configuration reference docs/configuration.md from the CRD in crds/
	$(MVN) -q test-compile exec:java -Dexec.mainClass=dev.shopcluster.operator.api.ConfigReference \
	  -Dexec.classpathScope=test

# --- Run ------------------------------------------------------------------------------------------

.PHONY: build
build: ## Build the operator (target/quarkus-app)
	$(MVN) -q package -DskipTests

# --- Operator image: built without a Docker daemon and without pulling from a container registry ---

VERSION    := $(shell sed -n 's:^  <version>\(.*\)</version>$$:\1:p' pom.xml)
IMAGE      ?= shopcluster/shop-operator:$(VERSION)
# crane and the JRE base image, cached outside target/ (a clean build keeps them).
IMAGE_TOOLS_DIR ?= $(HOME)/.cache/shop-operator
CRANE      := $(IMAGE_TOOLS_DIR)/crane
# Keyed by the hash of the scripts that make it, so a fresh clone (new file times) rebuilds nothing.
JRE_BASE   := $(IMAGE_TOOLS_DIR)/jre17-bookworm-$(shell cat hack/image/jre-base.sh hack/image/docker-archive.sh | sha256sum | cut -c1-12).tar

.PHONY: image
image: $(CRANE) $(JRE_BASE) ## Build the operator image (Quarkus Jib, no Docker daemon) into target/shop-operator-image.oci.tar
	MVN='$(MVN)' CRANE=$(CRANE) JRE_BASE=$(JRE_BASE) IMAGE=$(IMAGE) OUT=target/shop-operator-image.oci.tar hack/image/build.sh

.PHONY: e2e-k3s
e2e-k3s: image kube-binaries ## k3s e2e through Testcontainers (needs a Docker engine): chart, example, traffic, failover
	$(MVN) verify -Dit.test=K3sIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false $(MVN_KUBE)

$(CRANE): hack/image/crane/go.mod
	@mkdir -p $(IMAGE_TOOLS_DIR)
	cd hack/image/crane && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o $@.tmp \
	  github.com/google/go-containerregistry/cmd/crane && mv $@.tmp $@

$(JRE_BASE):
	@command -v debootstrap >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends debootstrap; }
	$(SUDO) hack/image/jre-base.sh $@

# CLUSTER=simulated (default): a simulated cluster on 127.0.0.1, no other cluster touched.
# CLUSTER=current: the current kubeconfig context, named before anything is applied.
CLUSTER ?= simulated

.PHONY: run
run: kube-binaries build ## Demo: operator + examples on a simulated cluster it starts (failover shown); CLUSTER=current for yours
	KUBE_BIN_DIR=$(KUBE_BIN_DIR) CLUSTER=$(CLUSTER) hack/run.sh

# --- Benchmarks -----------------------------------------------------------------------------------

.PHONY: bench-dataplane
bench-dataplane: tools haproxy ## Data-plane figures: share per strategy, standby takeover gap and failed requests, HAProxy vs direct throughput
	$(DATAPLANE_HAPROXY) $(MVN) verify $(DATAPLANE_FLAGS) -Dit.test='DataPlaneBenchmark' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false | sed -n '/^==== /,/^====$$/p'

.PHONY: bench
bench: kube-binaries ## Control-plane figures: first reconcile, create latency, no-op writes, RSS, promotion latency
	$(MVN) verify -Dit.test='OperatorBenchmark,PromotionBenchmark' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  $(MVN_KUBE) | sed -n '/^==== /,/^====$$/p'

.PHONY: bench-scale
bench-scale: kube-binaries ## Control-plane growth 100 -> 1,000 -> 3,000 shops: time to children and Ready, no-op writes and CPU, memory, unrelated objects
	$(MVN) verify -Dit.test='ScaleBenchmark' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  $(MVN_KUBE) $(if $(SHOPS),-Dbench.scale.shops=$(SHOPS)) | sed -n '/^==== /,/^====$$/p'

# The real-node tier: its binaries, images, and test targets.
include hack/realnode.mk
