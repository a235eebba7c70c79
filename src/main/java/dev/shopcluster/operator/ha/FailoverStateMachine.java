package dev.shopcluster.operator.ha;

import dev.shopcluster.operator.api.FailbackPolicy;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.ha.HaDecision.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, from the recorded state, the observed readiness and the clock, which slot of an
 * ActiveStandby shop should be primary and how many pods each slot runs. Pure and deterministic:
 * everything it needs is an argument, so a restarted operator given the same state decides the same.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>While a decided promotion is not yet wired (target differs from current), decide nothing new:
 *       the reconciler finishes the wiring first.</li>
 *   <li>A requested switchover scales the requested slot to {@code replicas} and moves traffic only once
 *       all of them are ready; until then the rules below still apply.</li>
 *   <li>A primary below {@code minReadyPrimaries} starts the grace period (kept in the state, so restarts
 *       neither reset nor skip it), whether or not it ever served: availability comes first. A recovery
 *       within it cancels it. At its end the other slot is promoted if it has more ready pods than the
 *       primary; otherwise nothing is promoted and {@code noHealthyStandby} is reported. Each failover in the
 *       last {@link HaPolicy#BACKOFF_WINDOW} doubles the grace (at most {@link HaPolicy#MAX_BACKOFF}), so two
 *       slots that are both unhealthy do not ping-pong.</li>
 *   <li>The slot a failover demoted keeps {@code replicas} pods until it is healthy again; then, with
 *       Manual failback, it becomes an ordinary standby, and with Automatic failback, traffic moves back
 *       once it has stayed healthy for the grace period.</li>
 * </ol>
 */
public final class FailoverStateMachine {

    private FailoverStateMachine() {}

    public static HaDecision decide(
            HaPolicy policy, HaState state, SlotReadiness ready, Optional<Slot> switchoverTo, Instant now) {
        if (state.promotionInFlight()) {
            return decision(
                    policy,
                    state,
                    switchoverTo,
                    null,
                    Trigger.NONE,
                    "completing the promotion of slot " + state.target().id(),
                    false);
        }
        Slot primary = state.current();
        Slot standby = primary.other();
        int primaryReady = ready.of(primary);
        int standbyReady = ready.of(standby);
        List<Instant> recent = state.recentFailovers().stream()
                .filter(at -> at.plus(HaPolicy.BACKOFF_WINDOW).isAfter(now))
                .toList();

        String waiting = null;
        if (switchoverTo.filter(slot -> slot == standby).isPresent()) {
            if (standbyReady >= policy.replicas()) {
                return promote(
                        policy,
                        state,
                        standby,
                        Trigger.SWITCHOVER,
                        recent,
                        now,
                        "switched over to slot %s: %d/%d ready"
                                .formatted(standby.id(), standbyReady, policy.replicas()));
            }
            // Planned: the primary keeps serving (and can still fail over) until the requested slot is fully up.
            waiting = "switchover to slot %s waits for its pods: %d/%d ready"
                    .formatted(standby.id(), standbyReady, policy.replicas());
        }

        Timer timer = new Timer();
        if (!recent.isEmpty()) {
            // The wait shortens (and status changes) when the oldest of them leaves the window.
            timer.at(Duration.between(now, recent.get(0).plus(HaPolicy.BACKOFF_WINDOW)));
        }
        Instant unreadySince = null;
        if (primaryReady < policy.minReadyPrimaries()) {
            unreadySince = state.primaryUnreadySince() != null ? state.primaryUnreadySince() : now;
            Duration wait = policy.failoverWait(recent.size());
            Instant deadline = unreadySince.plus(wait);
            String observed = "slot %s had %d/%d ready for %ds"
                    .formatted(
                            primary.id(),
                            primaryReady,
                            policy.replicas(),
                            Duration.between(unreadySince, now).toSeconds());
            if (now.isBefore(deadline)) {
                timer.at(Duration.between(now, deadline));
            } else if (standbyReady > primaryReady) {
                List<Instant> withThis = new ArrayList<>(recent);
                withThis.add(now);
                return promote(
                        policy,
                        state,
                        standby,
                        Trigger.FAILOVER,
                        withThis,
                        now,
                        "promoted slot %s: %s; the next failover waits %ds (%d in the last %d min)"
                                .formatted(
                                        standby.id(),
                                        observed,
                                        policy.failoverWait(withThis.size()).toSeconds(),
                                        withThis.size(),
                                        HaPolicy.BACKOFF_WINDOW.toMinutes()));
            } else {
                HaState stuck = stuck(state, unreadySince, recent);
                return decision(
                        policy,
                        stuck,
                        switchoverTo,
                        timer.earliest,
                        Trigger.NONE,
                        "not promoting: %s and standby slot %s has %d ready, not more"
                                .formatted(observed, standby.id(), standbyReady),
                        true);
            }
        }

        Slot demoted = state.demoted();
        Instant demotedReadySince = null;
        if (demoted == standby && standbyReady >= policy.minReadyPrimaries()) {
            if (policy.failback() == FailbackPolicy.Manual) {
                demoted = null;
            } else {
                demotedReadySince = state.demotedReadySince() != null ? state.demotedReadySince() : now;
                Instant deadline = demotedReadySince.plus(policy.grace());
                if (!now.isBefore(deadline)) {
                    return promote(
                            policy,
                            state,
                            standby,
                            Trigger.FAILBACK,
                            recent,
                            now,
                            "failed back to slot %s: ready %d/%d for %ds"
                                    .formatted(
                                            standby.id(),
                                            standbyReady,
                                            policy.replicas(),
                                            policy.grace().toSeconds()));
                }
                timer.at(Duration.between(now, deadline));
            }
        }
        HaState next = state.withPrimaryUnreadySince(unreadySince)
                .withDemoted(demoted)
                .withDemotedReadySince(demotedReadySince)
                .withRecentFailovers(recent);
        return decision(
                policy,
                next,
                switchoverTo,
                timer.earliest,
                Trigger.NONE,
                waiting != null
                        ? waiting
                        : "slot %s is primary with %d/%d ready"
                                .formatted(primary.id(), primaryReady, policy.replicas()),
                false);
    }

    /** Records the wiring of the target as complete. */
    public static HaState wired(HaState state) {
        return state.withCurrent(state.target());
    }

    private static HaDecision promote(
            HaPolicy policy,
            HaState state,
            Slot to,
            Trigger trigger,
            List<Instant> recentFailovers,
            Instant now,
            String message) {
        boolean failover = trigger == Trigger.FAILOVER;
        HaState next = state.withTarget(to)
                .withPrimaryUnreadySince(null)
                .withDemoted(failover ? state.current() : null)
                .withDemotedReadySince(null)
                .withRecentFailovers(recentFailovers);
        if (failover) {
            next = next.withFailovers(state.failovers() + 1, now);
        }
        return decision(policy, next, Optional.empty(), null, trigger, message, false);
    }

    /** Past the grace with no better standby: the standby, demoted or not, is not healthy now either. */
    private static HaState stuck(HaState state, Instant unreadySince, List<Instant> recentFailovers) {
        return state.withPrimaryUnreadySince(unreadySince)
                .withDemotedReadySince(null)
                .withRecentFailovers(recentFailovers);
    }

    /**
     * The target runs {@code replicas}; so does the other slot while a failover's demoted slot recovers
     * or while it is the requested switchover target; otherwise it runs {@code standbyReplicas}.
     */
    private static HaDecision decision(
            HaPolicy policy,
            HaState state,
            Optional<Slot> switchoverTo,
            Duration recheck,
            Trigger trigger,
            String message,
            boolean noHealthyStandby) {
        Slot other = state.target().other();
        boolean otherAtFullSize = state.demoted() == other
                || switchoverTo.filter(slot -> slot == other).isPresent();
        int primaryReplicas = policy.replicas();
        int otherReplicas = otherAtFullSize ? policy.replicas() : policy.standbyReplicas();
        int a = state.target() == Slot.A ? primaryReplicas : otherReplicas;
        int b = state.target() == Slot.B ? primaryReplicas : otherReplicas;
        return new HaDecision(state, a, b, recheck, trigger, message, noHealthyStandby);
    }

    /** The earliest of the deadlines that need a decision without a new observation. */
    private static final class Timer {
        private Duration earliest;

        void at(Duration after) {
            if (earliest == null || after.compareTo(earliest) < 0) {
                earliest = after;
            }
        }
    }
}
