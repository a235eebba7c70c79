package dev.shopcluster.operator.ha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.FailbackPolicy;
import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.ha.HaDecision.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Random runs of the state machine, driven as the reconciler drives it: every step changes one thing
 * (the ready pods, the clock, the switchover request, or completes the wiring of a decided promotion)
 * and then decides, except when the clock moved on while the operator was not reconciling. Every decision
 * is checked against invariants that follow from the documented rules, using the run's own record of what
 * was observed rather than the state the machine keeps.
 */
class FailoverStateMachinePropertyTest {

    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

    /** One thing that changes; the reconciler then decides, unless the step says it did not run. */
    interface Step {
        /** Returns whether a reconcile follows. */
        boolean applyTo(Run run);
    }

    record Observe(int readyA, int readyB) implements Step {
        @Override
        public boolean applyTo(Run run) {
            run.ready = new SlotReadiness(readyA, readyB);
            return true;
        }
    }

    /**
     * The clock moves on by {@code graces} grace periods plus {@code plus}, so that its boundaries are hit.
     * Without {@code reconciled}, the operator was down (or its queue was late) meanwhile: the next decision
     * sees the clock and whatever changes next at once.
     */
    record Advance(int graces, Duration plus, boolean reconciled) implements Step {
        @Override
        public boolean applyTo(Run run) {
            run.now = run.now.plus(run.policy.grace().multipliedBy(graces)).plus(plus);
            return reconciled;
        }
    }

    /** The switchover annotation set to a slot, or removed. */
    record RequestSwitchover(Optional<Slot> to) implements Step {
        @Override
        public boolean applyTo(Run run) {
            run.switchover = to;
            return true;
        }
    }

    /** The reconciler finished applying the children for the decided target. */
    record Wire() implements Step {
        @Override
        public boolean applyTo(Run run) {
            run.wire();
            return true;
        }
    }

    record Scenario(HaPolicy policy, List<Step> steps) {}

    @Property(tries = 1000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void everyDecisionKeepsTheInvariants(@ForAll("scenarios") Scenario scenario) {
        Run run = new Run(scenario.policy());
        for (Step step : scenario.steps()) {
            run.apply(step);
        }
        // The runs must reach what the invariants are about (typically 20 %, 20 %, 2.5 % and 10 % of them).
        expectInSomeRuns(Trigger.FAILOVER.name(), run.triggers.contains(Trigger.FAILOVER), 10);
        expectInSomeRuns(Trigger.SWITCHOVER.name(), run.triggers.contains(Trigger.SWITCHOVER), 10);
        expectInSomeRuns(Trigger.FAILBACK.name(), run.triggers.contains(Trigger.FAILBACK), 0.5);
        expectInSomeRuns("noHealthyStandby", run.sawNoHealthyStandby, 4);
        expectInSomeRuns("failover after a backoff", run.sawBackedOffFailover, 1);
    }

    private static void expectInSomeRuns(String label, boolean happened, double minPercent) {
        Statistics.label(label).collect(happened);
        Statistics.label(label).coverage(c -> c.check(true).percentage(p -> p >= minPercent));
    }

    /** The reconciler's view of one shop, plus what this run itself observed. */
    private static final class Run {
        private final HaPolicy policy;
        private HaState state = HaState.initial();
        private SlotReadiness ready = new SlotReadiness(0, 0);
        private Optional<Slot> switchover = Optional.empty();
        private Instant now = START;
        /** Since when every decision (not in flight) saw the current primary below minReadyPrimaries. */
        private Instant primaryLowSince;
        /** Since when every decision (not in flight) saw the standby slot at minReadyPrimaries or more. */
        private Instant standbyHealthySince;
        /** When this run saw failovers decided. */
        private final List<Instant> failovers = new ArrayList<>();

        private final Set<Trigger> triggers = EnumSet.noneOf(Trigger.class);
        private boolean sawNoHealthyStandby;
        private boolean sawBackedOffFailover;

        Run(HaPolicy policy) {
            this.policy = policy;
        }

        void apply(Step step) {
            if (step.applyTo(this)) {
                decide();
            }
        }

        private void wire() {
            Slot before = state.current();
            state = FailoverStateMachine.wired(state);
            assertThat(state.promotionInFlight())
                    .as("wiring completes the promotion")
                    .isFalse();
            if (state.current() != before) {
                primaryLowSince = null;
                standbyHealthySince = null;
            }
            // The reconciler removes a switchover request once its slot is the wired primary.
            if (switchover.equals(Optional.of(state.current()))) {
                switchover = Optional.empty();
            }
        }

        private void decide() {
            HaState before = state;
            HaDecision decision = FailoverStateMachine.decide(policy, before, ready, switchover, now);

            assertThat(FailoverStateMachine.decide(policy, before, ready, switchover, now))
                    .as("same inputs, same decision")
                    .isEqualTo(decision);
            assertThat(FailoverStateMachine.decide(policy, HaStatus.read(written(before)), ready, switchover, now))
                    .as("a restarted operator reading the status decides the same")
                    .isEqualTo(decision);

            if (!before.promotionInFlight()) {
                observe(before.current());
            }
            checkTarget(before, decision);
            checkAvailabilityFirst(before, decision);
            checkReplicas(decision);
            checkBookkeeping(before, decision);

            triggers.add(decision.trigger());
            sawNoHealthyStandby |= decision.noHealthyStandby();
            state = decision.state();
        }

        private void observe(Slot primary) {
            boolean primaryLow = ready.of(primary) < policy.minReadyPrimaries();
            boolean standbyHealthy = ready.of(primary.other()) >= policy.minReadyPrimaries();
            primaryLowSince = primaryLow ? since(primaryLowSince) : null;
            standbyHealthySince = standbyHealthy ? since(standbyHealthySince) : null;
        }

        private Instant since(Instant recorded) {
            return recorded != null ? recorded : now;
        }

        private void checkTarget(HaState before, HaDecision decision) {
            HaState after = decision.state();
            assertThat(after.target()).isNotNull();
            assertThat(after.current())
                    .as("only wiring moves the current primary")
                    .isEqualTo(before.current());
            if (before.promotionInFlight()) {
                assertThat(decision.trigger()).isEqualTo(Trigger.NONE);
                assertThat(after)
                        .as("nothing new while a promotion is in flight")
                        .isEqualTo(before);
                return;
            }
            if (decision.trigger() == Trigger.NONE) {
                assertThat(after.target()).isEqualTo(before.target());
                return;
            }
            Slot promoted = before.current().other();
            assertThat(after.target()).isEqualTo(promoted);
            assertThat(ready.of(promoted))
                    .as("never promotes a slot without ready pods")
                    .isPositive();
            switch (decision.trigger()) {
                case FAILOVER -> {
                    assertThat(ready.of(promoted))
                            .as("the promoted slot has more ready pods than the primary")
                            .isGreaterThan(ready.of(before.current()));
                    assertThat(before.primaryUnreadySince())
                            .as("the grace was recorded")
                            .isNotNull();
                    assertElapsed(before.primaryUnreadySince(), failoverWait(), "recorded unready");
                    assertElapsed(primaryLowSince, failoverWait(), "observed unready");
                    sawBackedOffFailover |= recentFailovers().size() > 0;
                }
                case SWITCHOVER -> {
                    assertThat(switchover).contains(promoted);
                    assertThat(ready.of(promoted)).isGreaterThanOrEqualTo(policy.replicas());
                }
                case FAILBACK -> {
                    assertThat(policy.failback()).isEqualTo(FailbackPolicy.Automatic);
                    assertThat(before.demoted()).isEqualTo(promoted);
                    assertGraceElapsed(standbyHealthySince, "observed healthy again");
                }
                case NONE -> throw new AssertionError("handled above");
            }
        }

        /**
         * Availability first: a primary observed below minReadyPrimaries for the wait, whether or not it ever
         * served, is failed over when the other slot has more ready pods (or a switchover moves traffic).
         */
        private void checkAvailabilityFirst(HaState before, HaDecision decision) {
            if (before.promotionInFlight()
                    || primaryLowSince == null
                    || Duration.between(primaryLowSince, now).compareTo(failoverWait()) < 0) {
                return;
            }
            Slot other = before.current().other();
            if (ready.of(other) > ready.of(before.current())) {
                assertThat(decision.trigger())
                        .as("a primary unready for the wait with a better standby")
                        .isIn(Trigger.FAILOVER, Trigger.SWITCHOVER);
            } else {
                assertThat(decision.noHealthyStandby())
                        .as("past the wait without a better standby is reported")
                        .isTrue();
            }
        }

        /** The failovers this run saw in the last 10 minutes. */
        private List<Instant> recentFailovers() {
            return failovers.stream()
                    .filter(at -> now.isBefore(at.plus(Duration.ofMinutes(10))))
                    .toList();
        }

        /** The grace doubled for each recent failover, at most 5 minutes (or the grace, if longer). */
        private Duration failoverWait() {
            long doubled =
                    policy.grace().toSeconds() << Math.min(recentFailovers().size(), 20);
            return Duration.ofSeconds(Math.max(policy.grace().toSeconds(), Math.min(doubled, 300)));
        }

        private void assertGraceElapsed(Instant since, String what) {
            assertElapsed(since, policy.grace(), what);
        }

        private void assertElapsed(Instant since, Duration wait, String what) {
            assertThat(since).as(what).isNotNull();
            assertThat(Duration.between(since, now)).as("time since " + what).isGreaterThanOrEqualTo(wait);
        }

        private void checkReplicas(HaDecision decision) {
            Slot primary = decision.primary();
            Slot other = primary.other();
            assertThat(primary).isEqualTo(decision.state().target());
            assertThat(decision.replicas(primary)).isEqualTo(policy.replicas());
            boolean otherAtFullSize = decision.state().demoted() == other
                    || (decision.trigger() == Trigger.NONE && switchover.equals(Optional.of(other)));
            assertThat(decision.replicas(other))
                    .as("replicas of the slot that does not serve")
                    .isEqualTo(otherAtFullSize ? policy.replicas() : policy.standbyReplicas());
        }

        private void checkBookkeeping(HaState before, HaDecision decision) {
            HaState after = decision.state();
            if (decision.trigger() == Trigger.FAILOVER) {
                failovers.add(now);
                assertThat(after.failovers()).isEqualTo(before.failovers() + 1);
                assertThat(after.lastFailover()).isEqualTo(now);
                assertThat(after.demoted()).isEqualTo(before.current());
            } else {
                assertThat(after.failovers()).isEqualTo(before.failovers());
                assertThat(after.lastFailover()).isEqualTo(before.lastFailover());
            }
            if (decision.noHealthyStandby()) {
                assertThat(decision.trigger()).isEqualTo(Trigger.NONE);
                assertThat(ready.of(before.current().other())).isLessThanOrEqualTo(ready.of(before.current()));
                assertElapsed(primaryLowSince, failoverWait(), "observed unready");
            }
            if (!before.promotionInFlight()) {
                assertThat(after.recentFailovers())
                        .as("the failovers of the last 10 minutes")
                        .isEqualTo(recentFailovers());
                assertThat(written(after).getFailoverWaitSeconds())
                        .as("the wait shown in status")
                        .isEqualTo((int) failoverWait().toSeconds());
            }
            if (decision.recheckAfter() != null) {
                assertThat(decision.recheckAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10));
            }
            assertNotAfterNow(after.primaryUnreadySince());
            assertNotAfterNow(after.demotedReadySince());
            if (after.demotedReadySince() != null) {
                assertThat(standbyHealthySince)
                        .as("the failback timer runs only while the demoted slot is healthy")
                        .isNotNull()
                        .isBeforeOrEqualTo(after.demotedReadySince());
            }
        }

        private void assertNotAfterNow(Instant instant) {
            if (instant != null) {
                assertThat(instant).isBeforeOrEqualTo(now);
            }
        }

        private ShopClusterStatus written(HaState state) {
            ShopClusterStatus status = new ShopClusterStatus();
            HaStatus.write(state, policy, status);
            return status;
        }
    }

    // --- generators

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Combinators.combine(policies(), steps().list().ofMinSize(1).ofMaxSize(60))
                .as(Scenario::new);
    }

    private static Arbitrary<HaPolicy> policies() {
        Arbitrary<Integer> upToFour = Arbitraries.integers().between(1, 4);
        return Combinators.combine(
                        upToFour,
                        upToFour,
                        upToFour,
                        Arbitraries.integers().between(1, 10),
                        Arbitraries.of(FailbackPolicy.class))
                .as((replicas, standby, minReady, graceSeconds, failback) -> new HaPolicy(
                        replicas, standby, Math.min(minReady, replicas), Duration.ofSeconds(graceSeconds), failback));
    }

    /** Independent of the policy (ready pods can exceed replicas while a slot scales down). */
    private static Arbitrary<Step> steps() {
        // Mostly a whole slot down or up, as when a node or a rollout fails; sometimes partly ready.
        Arbitrary<Integer> pods = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(3, Arbitraries.just(4)),
                Tuple.of(2, Arbitraries.integers().between(1, 3)));
        Arbitrary<Step> observe = Combinators.combine(pods, pods).as(Observe::new);
        Arbitrary<Duration> delay = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(0, 2_000).map(Duration::ofMillis)),
                Tuple.of(1, Arbitraries.just(Duration.ofNanos(1))),
                Tuple.of(2, Arbitraries.just(Duration.ofNanos(-1))),
                Tuple.of(2, Arbitraries.just(Duration.ZERO)));
        Arbitrary<Step> advance = Combinators.combine(
                        // Up to 64 grace periods: long enough for backoffs and for failovers to leave the 10-minute
                        // window.
                        Arbitraries.frequencyOf(
                                Tuple.of(3, Arbitraries.just(0)),
                                Tuple.of(3, Arbitraries.just(1)),
                                Tuple.of(1, Arbitraries.just(3)),
                                Tuple.of(1, Arbitraries.just(8)),
                                Tuple.of(1, Arbitraries.just(64))),
                        delay,
                        Arbitraries.of(true, true, false))
                // The clock never goes back: a grace period less one nanosecond, but not zero less one.
                .as((graces, plus, reconciled) -> new Advance(graces, graces == 0 ? plus.abs() : plus, reconciled));
        Arbitrary<Step> switchover = Arbitraries.of(Slot.class).optional(0.7).map(RequestSwitchover::new);
        return Arbitraries.frequencyOf(
                Tuple.of(5, observe),
                Tuple.of(5, advance),
                Tuple.of(1, switchover),
                Tuple.of(3, Arbitraries.just(new Wire())));
    }
}
