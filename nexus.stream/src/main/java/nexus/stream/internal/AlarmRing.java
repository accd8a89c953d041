package nexus.stream.internal;

import nexus.alarm.AlarmEvent;

/**
 * OWNED BY THE ALARM-FEED WORK (skeleton for the seam; replaced there): the node-wide alarm feed —
 * every alarm event numbered in one sequence for this run, the last {@code size} kept for resume.
 */
final class AlarmRing {

    AlarmRing(int size) {
        throw new UnsupportedOperationException("seam skeleton");
    }

    /** Takes one event from the alarm manager (EventSink); must not block. */
    void publish(AlarmEvent event) {
        throw new UnsupportedOperationException("seam skeleton");
    }

    /** @return this run's id */
    String run() {
        throw new UnsupportedOperationException("seam skeleton");
    }
}
