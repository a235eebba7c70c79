package dev.shopcluster.operator.ha;

import static dev.shopcluster.operator.api.Slot.A;
import static dev.shopcluster.operator.api.Slot.B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.ShopFixtures;
import dev.shopcluster.operator.api.FailbackPolicy;
import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.ha.HaDecision.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link FailoverStateMachine}, one behaviour per test. The policy uses distinct numbers
 * (3 replicas, 1 standby replica, 2 ready pods needed, 5 s grace) so that every replica count asserted
 * says which of them was chosen.
 */
class FailoverStateMachineTest {

    private static final int REPLICAS = 3;
    private static final int STANDBY_REPLICAS = 1;
    private static final int MIN_READY = 2;
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration TICK = Duration.ofNanos(1);
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private static final HaPolicy MANUAL = policy(FailbackPolicy.Manual);
    private static final HaPolicy AUTOMATIC = policy(FailbackPolicy.Automatic);

    @Nested
    class HealthyPrimary {

        @Test
        void healthyPrimaryChangesNothing() {
            HaState state = HaState.serving(A);

            HaDecision decision = decide(state, ready(REPLICAS, STANDBY_REPLICAS), T0);

            assertThat(decision.state()).isEqualTo(state);
            assertUnchangedPrimary(decision, A);
            assertThat(decision.recheckAfter()).isNull();
            assertThat(decision.noHealthyStandby()).isFalse();
            assertThat(decision.message()).isEqualTo("slot a is primary with 3/3 ready");
        }

        @Test
        void primaryWithExactlyMinReadyPrimariesIsHealthy() {
            HaDecision decision = decide(HaState.serving(A), ready(MIN_READY, 0), T0);

            assertThat(decision.state().primaryUnreadySince()).isNull();
            assertThat(decision.recheckAfter()).isNull();
        }

        @Test
        void slotBAsPrimaryGetsReplicasAndSlotAStandbyReplicas() {
            HaDecision decision = decide(HaState.serving(B), ready(STANDBY_REPLICAS, REPLICAS), T0);

            assertUnchangedPrimary(decision, B);
        }
    }

    @Nested
    class GracePeriod {

        @Test
        void primaryBelowMinReadyPrimariesStartsTheGraceNow() {
            HaDecision decision = decide(HaState.serving(A), ready(MIN_READY - 1, STANDBY_REPLICAS), T0);

            assertThat(decision.state().primaryUnreadySince()).isEqualTo(T0);
            assertUnchangedPrimary(decision, A);
            assertThat(decision.recheckAfter())
                    .as("look again when the grace ends")
                    .isEqualTo(GRACE);
            assertThat(decision.noHealthyStandby()).isFalse();
        }

        @Test
        void withinTheGraceTheRecordedStartIsKeptAndTheRecheckIsWhatIsLeft() {
            HaDecision decision = decide(unreadySince(A, T0), ready(0, STANDBY_REPLICAS), T0.plusSeconds(2));

            assertThat(decision.state().primaryUnreadySince()).isEqualTo(T0);
            assertThat(decision.recheckAfter()).isEqualTo(Duration.ofSeconds(3));
            assertUnchangedPrimary(decision, A);
        }

        @Test
        void stillBelowAtTheEndOfTheGraceWithAReadyStandbyPromotesTheOtherSlot() {
            Instant end = T0.plus(GRACE);

            HaDecision decision = decide(unreadySince(A, T0), ready(0, STANDBY_REPLICAS), end);

            assertThat(decision.trigger()).isEqualTo(Trigger.FAILOVER);
            assertThat(decision.primary()).isEqualTo(B);
            assertThat(decision.state())
                    .isEqualTo(HaState.serving(A)
                            .withTarget(B)
                            .withDemoted(A)
                            .withFailovers(1, end)
                            .withRecentFailovers(List.of(end)));
            assertThat(decision.state().promotionInFlight()).isTrue();
            assertThat(decision.replicas(B))
                    .as("the new primary is scaled to replicas")
                    .isEqualTo(REPLICAS);
            assertThat(decision.replicas(A))
                    .as("the demoted slot keeps its pods")
                    .isEqualTo(REPLICAS);
            assertThat(decision.recheckAfter()).isNull();
            assertThat(decision.noHealthyStandby()).isFalse();
            assertThat(decision.message())
                    .isEqualTo(
                            "promoted slot b: slot a had 0/3 ready for 5s; the next failover waits 10s (1 in the last 10 min)");
        }

        @Test
        void oneNanosecondBeforeTheEndOfTheGraceNothingIsPromoted() {
            HaDecision decision = decide(
                    unreadySince(A, T0), ready(0, REPLICAS), T0.plus(GRACE).minus(TICK));

            assertUnchangedPrimary(decision, A);
            assertThat(decision.recheckAfter()).isEqualTo(TICK);
        }

        @Test
        void exactlyAtTheEndOfTheGraceTheStandbyIsPromoted() {
            HaDecision decision = decide(unreadySince(A, T0), ready(0, REPLICAS), T0.plus(GRACE));

            assertThat(decision.trigger()).isEqualTo(Trigger.FAILOVER);
            assertThat(decision.primary()).isEqualTo(B);
        }

        @Test
        void aStandbyWithASingleReadyPodIsEnoughToPromote() {
            HaDecision decision = decide(unreadySince(B, T0), ready(1, 0), T0.plusSeconds(60));

            assertThat(decision.trigger()).isEqualTo(Trigger.FAILOVER);
            assertThat(decision.primary()).isEqualTo(A);
            assertThat(decision.state().demoted()).isEqualTo(B);
        }

        @Test
        void failoverCountsOnTopOfEarlierOnes() {
            HaState state = HaState.serving(A).withPrimaryUnreadySince(T0).withFailovers(4, T0.minusSeconds(600));
            Instant end = T0.plus(GRACE);

            HaDecision decision = decide(state, ready(0, 1), end);

            assertThat(decision.state().failovers()).isEqualTo(5);
            assertThat(decision.state().lastFailover()).isEqualTo(end);
        }

        @Test
        void recoveryWithinTheGraceCancelsIt() {
            HaDecision decision = decide(unreadySince(A, T0), ready(MIN_READY, 1), T0.plusSeconds(4));

            assertThat(decision.state().primaryUnreadySince()).isNull();
            assertThat(decision.recheckAfter()).isNull();
            assertUnchangedPrimary(decision, A);
        }

        @Test
        void afterARecoveryTheNextDropStartsAFreshGrace() {
            Shop shop = new Shop(MANUAL, HaState.serving(A));
            shop.observe(0, 1, T0);
            shop.observe(MIN_READY, 1, T0.plusSeconds(4));

            HaDecision decision = shop.observe(0, 1, T0.plusSeconds(6));

            assertThat(decision.trigger())
                    .as("6 s after the first drop, but 0 s into the second")
                    .isEqualTo(Trigger.NONE);
            assertThat(decision.state().primaryUnreadySince()).isEqualTo(T0.plusSeconds(6));
        }

        @Test
        void flappingWithinTheGraceNeverPromotes() {
            Shop shop = new Shop(MANUAL, HaState.serving(A));
            Instant now = T0;
            for (int flap = 0; flap < 50; flap++) {
                shop.observe(0, REPLICAS, now);
                now = now.plus(GRACE).minus(TICK);
                assertThat(shop.observe(MIN_READY, REPLICAS, now).trigger()).isEqualTo(Trigger.NONE);
                now = now.plusSeconds(1);
            }
            assertThat(shop.state.current()).isEqualTo(A);
            assertThat(shop.state.failovers()).isZero();
        }

        @Test
        void aRestartWithinTheGraceNeitherResetsNorSkipsIt() {
            HaState recorded = decide(HaState.serving(A), ready(0, 1), T0).state();
            HaState restored = HaStatus.read(status(recorded));

            HaDecision early = decide(restored, ready(0, 1), T0.plusSeconds(3));
            HaDecision due = decide(restored, ready(0, 1), T0.plus(GRACE));

            assertThat(early.trigger()).as("not skipped").isEqualTo(Trigger.NONE);
            assertThat(early.state().primaryUnreadySince()).as("not reset").isEqualTo(T0);
            assertThat(early.recheckAfter()).isEqualTo(Duration.ofSeconds(2));
            assertThat(due.trigger()).isEqualTo(Trigger.FAILOVER);
        }

        @Test
        void anOperatorBackAfterTheGraceEndedPromotesAtOnce() {
            HaDecision decision = decide(unreadySince(A, T0), ready(0, 1), T0.plusSeconds(3600));

            assertThat(decision.trigger()).isEqualTo(Trigger.FAILOVER);
            assertThat(decision.message()).startsWith("promoted slot b: slot a had 0/3 ready for 3600s;");
        }
    }

    @Nested
    class NoHealthyStandby {

        @Test
        void noReadyStandbyAtTheEndOfTheGraceMeansNoPromotionAndIsReported() {
            HaDecision decision = decide(unreadySince(A, T0), ready(1, 0), T0.plusSeconds(10));

            assertThat(decision.noHealthyStandby()).isTrue();
            assertUnchangedPrimary(decision, A);
            assertThat(decision.state().primaryUnreadySince())
                    .as("the grace stays spent")
                    .isEqualTo(T0);
            assertThat(decision.state().failovers()).isZero();
            assertThat(decision.message())
                    .isEqualTo("not promoting: slot a had 1/3 ready for 10s and standby slot b "
                            + "has 0 ready, not more");
        }

        @Test
        void withinTheGraceAMissingStandbyIsNotReportedYet() {
            HaDecision decision = decide(unreadySince(A, T0), ready(0, 0), T0.plusSeconds(1));

            assertThat(decision.noHealthyStandby()).isFalse();
        }

        @Test
        void aStandbyThatBecomesReadyLaterIsPromotedThen() {
            Shop shop = new Shop(MANUAL, HaState.serving(A));
            shop.observe(0, 0, T0);
            assertThat(shop.observe(0, 0, T0.plusSeconds(30)).noHealthyStandby())
                    .isTrue();

            HaDecision decision = shop.observe(0, 1, T0.plusSeconds(31));

            assertThat(decision.trigger()).isEqualTo(Trigger.FAILOVER);
            assertThat(decision.noHealthyStandby()).isFalse();
            assertThat(shop.state.current()).isEqualTo(B);
            assertThat(decision.message()).startsWith("promoted slot b: slot a had 0/3 ready for 31s;");
        }
    }

    @Nested
    class NeverServed {

        @Test
        void aNewShopWhosePrimaryNeverBecomesReadyIsFailedOverToAStandbyWithMorePods() {
            Shop shop = new Shop(MANUAL, HaState.initial());
            shop.observe(0, 0, T0);
            assertThat(shop.observe(0, 1, T0.plus(GRACE).minus(TICK)).trigger()).isEqualTo(Trigger.NONE);

            HaDecision decision = shop.observe(0, 1, T0.plus(GRACE));

            assertThat(decision.trigger()).isEqualTo(Trigger.FAILOVER);
            assertThat(shop.state.current()).isEqualTo(B);
            assertThat(shop.state.demoted()).isEqualTo(A);
        }

        @Test
        void aStandbyWithNoMoreReadyPodsThanThePrimaryIsNotPromoted() {
            Shop shop = new Shop(MANUAL, HaState.initial());
            shop.observe(1, 1, T0);

            HaDecision decision = shop.observe(1, 1, T0.plusSeconds(3600));

            assertUnchangedPrimary(decision, A);
            assertThat(decision.noHealthyStandby()).isTrue();
            assertThat(decision.message())
                    .isEqualTo("not promoting: slot a had 1/3 ready for 3600s and standby slot b "
                            + "has 1 ready, not more");
        }

        @Test
        void aPromotedSlotThatNeverReachesMinReadyPrimariesIsFailedOverBackOnceTheOtherHasMoreAfterABackoff() {
            Shop shop = new Shop(MANUAL, unreadySince(A, T0));
            Instant firstFailover = T0.plus(GRACE);
            shop.observe(0, MIN_READY - 1, firstFailover);
            assertThat(shop.state.current()).isEqualTo(B);
            // Slot b serves with a single ready pod; its other pods never start.
            Instant bUnready = firstFailover.plusSeconds(1);
            assertThat(shop.observe(0, MIN_READY - 1, bUnready).noHealthyStandby())
                    .isFalse();
            Duration doubled = GRACE.multipliedBy(2);

            HaDecision early = shop.observe(
                    MIN_READY, MIN_READY - 1, bUnready.plus(doubled).minus(TICK));
            HaDecision due = shop.observe(MIN_READY, MIN_READY - 1, bUnready.plus(doubled));

            assertThat(early.trigger())
                    .as("the grace alone has passed, not the doubled wait")
                    .isEqualTo(Trigger.NONE);
            assertThat(early.recheckAfter()).isEqualTo(TICK);
            assertThat(due.trigger()).isEqualTo(Trigger.FAILOVER);
            assertThat(due.state().recentFailovers()).containsExactly(firstFailover, bUnready.plus(doubled));
            assertThat(due.message())
                    .isEqualTo("promoted slot a: slot b had 1/3 ready for 10s; the next failover "
                            + "waits 20s (2 in the last 10 min)");
            assertThat(shop.state.current()).isEqualTo(A);
        }
    }

    @Nested
    class Backoff {

        @Test
        void twoUnhealthySlotsPingPongWithADoublingWait() {
            // Each new primary keeps one ready pod, the slot it replaced recovers two: every failover is due.
            Shop shop = new Shop(MANUAL, HaState.serving(A));
            List<Instant> failovers = new java.util.ArrayList<>();
            for (Instant now = T0; now.isBefore(T0.plusSeconds(600)); now = now.plusSeconds(1)) {
                Slot primary = shop.state.current();
                int readyA = primary == A ? 1 : MIN_READY;
                int readyB = primary == B ? 1 : MIN_READY;
                if (shop.observe(readyA, readyB, now).trigger() == Trigger.FAILOVER) {
                    failovers.add(now);
                }
            }

            List<Long> gaps = new java.util.ArrayList<>();
            for (int i = 1; i < failovers.size(); i++) {
                gaps.add(
                        Duration.between(failovers.get(i - 1), failovers.get(i)).toSeconds());
            }
            assertThat(failovers.get(0)).isEqualTo(T0.plus(GRACE));
            // The new primary's wait starts at the next observation, a second after the failover.
            assertThat(gaps).as("seconds between failovers").startsWith(1 + 10L, 1 + 20L, 1 + 40L, 1 + 80L, 1 + 160L);
            assertThat(failovers).as("failovers in the first 10 minutes").hasSizeLessThanOrEqualTo(6);
        }

        @Test
        void theWaitIsCappedAtFiveMinutes() {
            List<Instant> eight = java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> T0.minusSeconds(i + 1))
                    .sorted()
                    .toList();
            HaState state =
                    unreadySince(A, T0).withFailovers(8, T0.minusSeconds(1)).withRecentFailovers(eight);

            assertThat(decide(
                                    state,
                                    ready(0, REPLICAS),
                                    T0.plus(Duration.ofMinutes(5)).minus(TICK))
                            .trigger())
                    .isEqualTo(Trigger.NONE);
            assertThat(decide(state, ready(0, REPLICAS), T0.plus(Duration.ofMinutes(5)))
                            .trigger())
                    .isEqualTo(Trigger.FAILOVER);
        }

        @Test
        void aFailoverTenMinutesAgoNoLongerCounts() {
            Instant tenMinutesAgo = T0.minus(HaPolicy.BACKOFF_WINDOW);
            HaState justInside = unreadySince(A, T0.minus(GRACE))
                    .withFailovers(1, tenMinutesAgo.plus(TICK))
                    .withRecentFailovers(List.of(tenMinutesAgo.plus(TICK)));
            HaState justOutside = unreadySince(A, T0.minus(GRACE))
                    .withFailovers(1, tenMinutesAgo)
                    .withRecentFailovers(List.of(tenMinutesAgo));

            HaDecision inside = decide(justInside, ready(0, REPLICAS), T0);
            HaDecision outside = decide(justOutside, ready(0, REPLICAS), T0);

            assertThat(inside.trigger()).isEqualTo(Trigger.NONE);
            assertThat(inside.recheckAfter()).as("when it leaves the window").isEqualTo(TICK);
            assertThat(outside.trigger()).isEqualTo(Trigger.FAILOVER);
            assertThat(outside.state().recentFailovers()).containsExactly(T0);
        }

        @Test
        void theWaitShortensWhenAFailoverLeavesTheWindow() {
            Instant failover = T0.minus(HaPolicy.BACKOFF_WINDOW).plusSeconds(1);
            HaState state = unreadySince(A, T0.minusSeconds(8))
                    .withFailovers(1, failover)
                    .withRecentFailovers(List.of(failover));

            HaDecision waiting = decide(state, ready(0, REPLICAS), T0);
            HaDecision due = decide(waiting.state(), ready(0, REPLICAS), T0.plus(waiting.recheckAfter()));

            assertThat(waiting.trigger()).as("8 s of a 10 s wait").isEqualTo(Trigger.NONE);
            assertThat(waiting.recheckAfter()).isEqualTo(Duration.ofSeconds(1));
            assertThat(due.trigger()).as("9 s of a 5 s wait").isEqualTo(Trigger.FAILOVER);
        }

        @Test
        void aHealthyShopForgetsFailoversOnceTheyLeaveTheWindow() {
            Instant failover = T0.minus(Duration.ofMinutes(9));
            HaState state = HaState.serving(A).withFailovers(1, failover).withRecentFailovers(List.of(failover));

            HaDecision recent = decide(state, ready(REPLICAS, 1), T0);
            HaDecision later = decide(recent.state(), ready(REPLICAS, 1), T0.plus(recent.recheckAfter()));

            assertThat(recent.state().recentFailovers()).containsExactly(failover);
            assertThat(recent.recheckAfter()).isEqualTo(Duration.ofMinutes(1));
            assertThat(later.state().recentFailovers()).isEmpty();
            assertThat(later.recheckAfter()).isNull();
            assertThat(later.state().lastFailover()).isEqualTo(failover);
        }

        @Test
        void switchoversAndFailbacksDoNotCount() {
            HaDecision switched = switchover(HaState.serving(A), B, ready(REPLICAS, REPLICAS), T0);

            assertThat(switched.trigger()).isEqualTo(Trigger.SWITCHOVER);
            assertThat(switched.state().recentFailovers()).isEmpty();
        }
    }

    @Nested
    class PromotionInFlight {

        private final HaState inFlight =
                HaState.serving(A).withTarget(B).withDemoted(A).withFailovers(1, T0);

        @Test
        void decidesNothingNewAndKeepsTheTarget() {
            HaDecision decision = decide(inFlight, ready(0, 0), T0.plusSeconds(3600));

            assertThat(decision.state()).isEqualTo(inFlight);
            assertThat(decision.primary()).isEqualTo(B);
            assertThat(decision.trigger()).isEqualTo(Trigger.NONE);
            assertThat(decision.recheckAfter()).isNull();
            assertThat(decision.noHealthyStandby()).isFalse();
            assertThat(decision.replicas(B)).isEqualTo(REPLICAS);
            assertThat(decision.replicas(A)).as("demoted").isEqualTo(REPLICAS);
            assertThat(decision.message()).isEqualTo("completing the promotion of slot b");
        }

        @Test
        void aSwitchoverRequestDoesNotRedirectIt() {
            HaDecision decision = FailoverStateMachine.decide(
                    MANUAL, inFlight, ready(REPLICAS, 0), Optional.of(A), T0.plusSeconds(1));

            assertThat(decision.state()).isEqualTo(inFlight);
            assertThat(decision.trigger()).isEqualTo(Trigger.NONE);
        }

        @Test
        void wiringSetsTheCurrentPrimaryToTheTargetAndKeepsTheRest() {
            HaState wired = FailoverStateMachine.wired(inFlight);

            assertThat(wired).isEqualTo(HaState.serving(B).withDemoted(A).withFailovers(1, T0));
            assertThat(wired.promotionInFlight()).isFalse();
        }

        @Test
        void wiringAWiredStateChangesNothing() {
            HaState state = HaState.serving(A)
                    .withPrimaryUnreadySince(T0)
                    .withDemoted(B)
                    .withDemotedReadySince(T0.plusSeconds(1))
                    .withFailovers(2, T0.minusSeconds(9));

            assertThat(FailoverStateMachine.wired(state)).isEqualTo(state);
        }
    }

    @Nested
    class Switchover {

        @Test
        void scalesTheRequestedSlotUpAndWaitsForAllOfItsPods() {
            HaDecision decision = switchover(HaState.serving(A), B, ready(REPLICAS, REPLICAS - 1), T0);

            assertUnchangedPrimary(decision, A, REPLICAS);
            assertThat(decision.state()).isEqualTo(HaState.serving(A));
            assertThat(decision.message()).isEqualTo("switchover to slot b waits for its pods: 2/3 ready");
        }

        @Test
        void switchesOnceTheRequestedSlotHasReplicasReady() {
            HaState state = HaState.serving(A).withFailovers(2, T0.minusSeconds(60));

            HaDecision decision = switchover(state, B, ready(REPLICAS, REPLICAS), T0);

            assertThat(decision.trigger()).isEqualTo(Trigger.SWITCHOVER);
            assertThat(decision.state())
                    .as("not a failover: counters unchanged, nothing demoted")
                    .isEqualTo(HaState.serving(A).withTarget(B).withFailovers(2, T0.minusSeconds(60)));
            assertThat(decision.replicas(B)).isEqualTo(REPLICAS);
            assertThat(decision.replicas(A)).isEqualTo(STANDBY_REPLICAS);
            assertThat(decision.message()).isEqualTo("switched over to slot b: 3/3 ready");
        }

        @Test
        void waitsUntilTheRequestedSlotIsReadyThenSwitches() {
            Shop shop = new Shop(MANUAL, HaState.serving(A)).requestSwitchover(B);
            for (int readyB = 0; readyB < REPLICAS; readyB++) {
                HaDecision waiting = shop.observe(REPLICAS, readyB, T0.plusSeconds(readyB));
                assertUnchangedPrimary(waiting, A, REPLICAS);
            }

            assertThat(shop.observe(REPLICAS, REPLICAS, T0.plusSeconds(REPLICAS))
                            .trigger())
                    .isEqualTo(Trigger.SWITCHOVER);
            assertThat(shop.state.current()).isEqualTo(B);
        }

        @Test
        void switchoverToTheCurrentPrimaryIsANoOp() {
            SlotReadiness ready = ready(REPLICAS, STANDBY_REPLICAS);

            HaDecision decision = switchover(HaState.serving(A), A, ready, T0);

            assertThat(decision).isEqualTo(decide(HaState.serving(A), ready, T0));
            assertUnchangedPrimary(decision, A);
        }

        @Test
        void aPendingSwitchoverDoesNotSuspendFailover() {
            HaDecision decision = switchover(unreadySince(A, T0), B, ready(0, 1), T0.plus(GRACE));

            assertThat(decision.trigger()).isEqualTo(Trigger.FAILOVER);
            assertThat(decision.primary()).isEqualTo(B);
            assertThat(decision.state().failovers()).isEqualTo(1);
        }

        @Test
        void aPendingSwitchoverStillStartsTheGrace() {
            HaDecision decision = switchover(HaState.serving(A), B, ready(0, 1), T0);

            assertThat(decision.state().primaryUnreadySince()).isEqualTo(T0);
            assertThat(decision.recheckAfter()).isEqualTo(GRACE);
            assertThat(decision.message()).startsWith("switchover to slot b waits");
        }

        @Test
        void aSwitchoverDoesNotWaitForAnUnreadyPrimary() {
            HaDecision decision = switchover(unreadySince(A, T0), B, ready(0, REPLICAS), T0.plusSeconds(1));

            assertThat(decision.trigger()).isEqualTo(Trigger.SWITCHOVER);
            assertThat(decision.state().failovers()).isZero();
        }

        @Test
        void switchingToTheDemotedSlotEndsItsDemotion() {
            HaState failedOver = HaState.serving(B).withDemoted(A).withFailovers(1, T0);

            HaDecision decision = switchover(failedOver, A, ready(REPLICAS, REPLICAS), T0.plusSeconds(1));

            assertThat(decision.trigger()).isEqualTo(Trigger.SWITCHOVER);
            assertThat(decision.state())
                    .isEqualTo(HaState.serving(B).withTarget(A).withFailovers(1, T0));
        }
    }

    @Nested
    class Failback {

        private final HaState failedOverToB = HaState.serving(B).withDemoted(A).withFailovers(1, T0);

        @Test
        void theDemotedSlotKeepsReplicasUntilItIsHealthy() {
            HaDecision decision = decide(failedOverToB, ready(MIN_READY - 1, REPLICAS), T0.plusSeconds(60));

            assertThat(decision.state().demoted()).isEqualTo(A);
            assertUnchangedPrimary(decision, B, REPLICAS);
        }

        @Test
        void manualFailbackMakesTheRecoveredSlotAnOrdinaryStandby() {
            HaDecision decision = decide(failedOverToB, ready(MIN_READY, REPLICAS), T0.plusSeconds(60));

            assertThat(decision.state()).isEqualTo(HaState.serving(B).withFailovers(1, T0));
            assertUnchangedPrimary(decision, B, STANDBY_REPLICAS);
            assertThat(decision.recheckAfter()).isNull();
        }

        @Test
        void manualFailbackNeverMovesTrafficBack() {
            Shop shop = new Shop(MANUAL, failedOverToB);
            for (int minute = 1; minute <= 60; minute++) {
                assertThat(shop.observe(REPLICAS, REPLICAS, T0.plusSeconds(60L * minute))
                                .trigger())
                        .isEqualTo(Trigger.NONE);
            }
            assertThat(shop.state.current()).isEqualTo(B);
        }

        @Test
        void automaticFailbackStartsTimingWhenTheDemotedSlotIsHealthy() {
            Instant healthy = T0.plusSeconds(60);

            HaDecision decision = decide(AUTOMATIC, failedOverToB, ready(MIN_READY, REPLICAS), healthy);

            assertThat(decision.state().demotedReadySince()).isEqualTo(healthy);
            assertThat(decision.state().demoted()).isEqualTo(A);
            assertUnchangedPrimary(decision, B, REPLICAS);
            assertThat(decision.recheckAfter()).isEqualTo(GRACE);
        }

        @Test
        void automaticFailbackWaitsOneNanosecondShortOfTheGrace() {
            HaState timing =
                    HaState.serving(B).withDemoted(A).withDemotedReadySince(T0).withFailovers(1, T0);

            HaDecision decision = decide(
                    AUTOMATIC,
                    timing,
                    ready(MIN_READY, REPLICAS),
                    T0.plus(GRACE).minus(TICK));

            assertUnchangedPrimary(decision, B, REPLICAS);
            assertThat(decision.state().demotedReadySince()).isEqualTo(T0);
            assertThat(decision.recheckAfter()).isEqualTo(TICK);
        }

        @Test
        void automaticFailbackMovesTrafficBackOnceTheDemotedSlotStayedHealthyForTheGrace() {
            HaState timing =
                    HaState.serving(B).withDemoted(A).withDemotedReadySince(T0).withFailovers(1, T0);

            HaDecision decision = decide(AUTOMATIC, timing, ready(MIN_READY, REPLICAS), T0.plus(GRACE));

            assertThat(decision.trigger()).isEqualTo(Trigger.FAILBACK);
            assertThat(decision.state())
                    .as("not counted as a failover")
                    .isEqualTo(HaState.serving(B).withTarget(A).withFailovers(1, T0));
            assertThat(decision.replicas(A)).isEqualTo(REPLICAS);
            assertThat(decision.replicas(B)).isEqualTo(STANDBY_REPLICAS);
            assertThat(decision.message()).isEqualTo("failed back to slot a: ready 2/3 for 5s");
        }

        @Test
        void flappingOfTheDemotedSlotRestartsTheFailbackTimer() {
            Shop shop = new Shop(AUTOMATIC, failedOverToB);
            shop.observe(REPLICAS, REPLICAS, T0.plusSeconds(10));
            shop.observe(MIN_READY - 1, REPLICAS, T0.plusSeconds(13));
            assertThat(shop.state.demotedReadySince()).isNull();
            shop.observe(REPLICAS, REPLICAS, T0.plusSeconds(14));

            HaDecision early = shop.observe(
                    REPLICAS, REPLICAS, T0.plusSeconds(14).plus(GRACE).minus(TICK));
            HaDecision due = shop.observe(REPLICAS, REPLICAS, T0.plusSeconds(14).plus(GRACE));

            assertThat(early.trigger())
                    .as("5 s after it first became healthy, but not since the flap")
                    .isEqualTo(Trigger.NONE);
            assertThat(due.trigger()).isEqualTo(Trigger.FAILBACK);
            assertThat(shop.state.current()).isEqualTo(A);
        }

        @Test
        void aStandbyWithoutReadyPodsAlsoEndsTheFailbackTimer() {
            // The new primary drops while the demoted slot is healthy. When the operator next decides (after
            // a restart, at the end of the grace) the demoted slot has lost its pods too: no healthy standby.
            // When both come back at once, the demoted slot has been healthy again for no time at all.
            Shop shop = new Shop(AUTOMATIC, failedOverToB);
            shop.observe(REPLICAS, MIN_READY - 1, T0);
            assertThat(shop.state.demotedReadySince()).isEqualTo(T0);
            assertThat(shop.observe(0, MIN_READY - 1, T0.plus(GRACE)).noHealthyStandby())
                    .isTrue();

            HaDecision decision =
                    shop.observe(REPLICAS, REPLICAS, T0.plus(GRACE).plusSeconds(1));

            assertThat(decision.trigger()).isEqualTo(Trigger.NONE);
            assertThat(decision.state().demotedReadySince())
                    .isEqualTo(T0.plus(GRACE).plusSeconds(1));
            assertThat(shop.state.current()).isEqualTo(B);
        }

        @Test
        void anUnhealthyPrimaryFailsOverToTheDemotedSlotBeforeAnyFailback() {
            HaState both = HaState.serving(B)
                    .withPrimaryUnreadySince(T0)
                    .withDemoted(A)
                    .withDemotedReadySince(T0)
                    .withFailovers(1, T0);

            HaDecision decision = decide(AUTOMATIC, both, ready(REPLICAS, 0), T0.plus(GRACE));

            assertThat(decision.trigger()).isEqualTo(Trigger.FAILOVER);
            assertThat(decision.state().demoted()).isEqualTo(B);
            assertThat(decision.state().failovers()).isEqualTo(2);
        }

        @Test
        void theRecheckIsTheEarlierOfTheGraceAndTheFailbackDeadlines() {
            HaState both = HaState.serving(B)
                    .withPrimaryUnreadySince(T0)
                    .withDemoted(A)
                    .withDemotedReadySince(T0.plusSeconds(2))
                    .withFailovers(1, T0);

            HaDecision decision = decide(AUTOMATIC, both, ready(REPLICAS, 0), T0.plusSeconds(3));

            assertThat(decision.trigger()).isEqualTo(Trigger.NONE);
            assertThat(decision.recheckAfter()).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void aRestartedOperatorDecidesAsTheOneBeforeIt() {
        // The state a new leader reads back from the API server decides the same, sub-second times included.
        HaState state = HaState.serving(B)
                .withPrimaryUnreadySince(T0.plusMillis(250))
                .withDemoted(A)
                .withDemotedReadySince(T0.plusSeconds(1).plusNanos(5))
                .withFailovers(3, T0.minusSeconds(5));
        SlotReadiness ready = ready(MIN_READY, 1);
        Instant now = T0.plusSeconds(4);

        HaState readBack = HaStatus.read(ShopFixtures.readBack(status(state)));

        assertThat(readBack).isEqualTo(state);
        assertThat(decide(AUTOMATIC, readBack, ready, now)).isEqualTo(decide(AUTOMATIC, state, ready, now));
    }

    // --- helpers

    private static HaPolicy policy(FailbackPolicy failback) {
        return new HaPolicy(REPLICAS, STANDBY_REPLICAS, MIN_READY, GRACE, failback);
    }

    /** A wired primary first seen below minReadyPrimaries at {@code since}. */
    private static HaState unreadySince(Slot primary, Instant since) {
        return HaState.serving(primary).withPrimaryUnreadySince(since);
    }

    private static SlotReadiness ready(int a, int b) {
        return new SlotReadiness(a, b);
    }

    private static HaDecision decide(HaState state, SlotReadiness ready, Instant now) {
        return decide(MANUAL, state, ready, now);
    }

    private static HaDecision decide(HaPolicy policy, HaState state, SlotReadiness ready, Instant now) {
        return FailoverStateMachine.decide(policy, state, ready, Optional.empty(), now);
    }

    private static HaDecision switchover(HaState state, Slot to, SlotReadiness ready, Instant now) {
        return FailoverStateMachine.decide(MANUAL, state, ready, Optional.of(to), now);
    }

    private static ShopClusterStatus status(HaState state) {
        ShopClusterStatus status = new ShopClusterStatus();
        HaStatus.write(state, MANUAL, status);
        return status;
    }

    private static void assertUnchangedPrimary(HaDecision decision, Slot primary) {
        assertUnchangedPrimary(decision, primary, STANDBY_REPLICAS);
    }

    /** No new target: {@code primary} serves with replicas, the other slot runs {@code otherReplicas}. */
    private static void assertUnchangedPrimary(HaDecision decision, Slot primary, int otherReplicas) {
        assertThat(decision.trigger()).isEqualTo(Trigger.NONE);
        assertThat(decision.primary()).isEqualTo(primary);
        assertThat(decision.state().current()).isEqualTo(primary);
        assertThat(decision.replicas(primary)).isEqualTo(REPLICAS);
        assertThat(decision.replicas(primary.other())).isEqualTo(otherReplicas);
    }

    /** Drives the machine as the reconciler does: decide, record the decision, wire it. */
    private static final class Shop {
        private final HaPolicy policy;
        private HaState state;
        private Optional<Slot> switchover = Optional.empty();

        Shop(HaPolicy policy, HaState state) {
            this.policy = policy;
            this.state = state;
        }

        Shop requestSwitchover(Slot to) {
            switchover = Optional.of(to);
            return this;
        }

        HaDecision observe(int readyA, int readyB, Instant now) {
            HaDecision decision = FailoverStateMachine.decide(policy, state, ready(readyA, readyB), switchover, now);
            state = FailoverStateMachine.wired(decision.state());
            return decision;
        }
    }
}
