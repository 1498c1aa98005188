package io.switchboard.endpoint.limits;

import java.time.Duration;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.AfterFailureMode;

import io.switchboard.endpoint.limits.InterleavingWorld.Barrier;
import io.switchboard.endpoint.limits.InterleavingWorld.Command;
import io.switchboard.endpoint.limits.InterleavingWorld.Connect;
import io.switchboard.endpoint.limits.InterleavingWorld.Pause;
import io.switchboard.endpoint.limits.InterleavingWorld.PeerClose;
import io.switchboard.endpoint.limits.InterleavingWorld.Racing;
import io.switchboard.endpoint.limits.InterleavingWorld.Register;
import io.switchboard.endpoint.limits.InterleavingWorld.Resume;
import io.switchboard.endpoint.limits.InterleavingWorld.SetHandler;
import io.switchboard.endpoint.limits.InterleavingWorld.Send;
import io.switchboard.endpoint.limits.InterleavingWorld.Step;
import io.switchboard.endpoint.limits.InterleavingWorld.Stop;
import io.switchboard.endpoint.limits.InterleavingWorld.Unregister;

/**
 * The hot-swap contract under schedules jqwik makes up: handlers registered and removed
 * (rankings, adopting at once, prototype scope, blocking and inline), {@code setHandler} from
 * another thread, pipelined messages, removals racing a client's burst, closes from the handler
 * and from the peer, sends past the queue's cap, slow callbacks, reading paused inside a callback
 * or from another thread and resumed from another thread, the endpoint stopping — against
 * a real endpoint over real sockets, ws and wss, one or two loops. The oracle is the
 * {@link Ledger} (every message once, in order, to a handler told of the connection and not
 * removed or released; no overlapping callbacks; one disconnect; no message while paused), the clients' view (their
 * echoes, one Close with an allowed code) and the bindings (each instance released once).
 *
 * <p>The normal build runs {@code jqwik.tries.default} schedules (junit-platform.properties);
 * {@code mvn -Pinterleavings} runs many more. A failure prints its seed and a shrunk schedule.
 */
class HotSwapInterleavingTest {

    @Property(shrinking = ShrinkingMode.BOUNDED, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void everyScheduleKeepsTheContract(@ForAll boolean tls, @ForAll @IntRange(min = 1, max = 2) int loops,
                                       @ForAll boolean shortGrace, @ForAll("schedules") List<Step> schedule) throws Exception {
        List<String> violations;
        try (InterleavingWorld world = new InterleavingWorld(tls, loops,
                shortGrace ? Duration.ofMillis(100) : Duration.ofSeconds(30))) {
            for (Step step : schedule) {
                world.run(step);
            }
            violations = world.finish();
        }
        if (!violations.isEmpty()) {
            throw new AssertionError("the contract broke: " + violations + "\n  tls=" + tls + ", loops=" + loops
                    + ", shortGrace=" + shortGrace + ", schedule:\n    " + String.join("\n    ", schedule.stream().map(String::valueOf).toList()));
        }
    }

    /**
     * The schedule with which a long run found that a connection still on its way to one adopting
     * handler, when a second one adopted the route's connections, went to the first, displaced one.
     * A replay, twenty times: the race it needs is narrow (it passed on the code before the fix
     * when tried), so the search above, not this, is what guards against it.
     */
    @Example
    void aConnectionOnItsWayToAnAdopterGoesToTheNewerOne() throws Exception {
        for (int round = 0; round < 20; round++) {
            everyScheduleKeepsTheContract(false, 1, true, List.of(
                    new Register(1, true, true, false), new Connect(),
                    new Register(2, false, false, true), new Register(3, true, false, true),
                    new Send(0, 2), new Racing(0, 0, 15), new Stop()));
        }
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 3);
        Arbitrary<Step> register = Combinators.combine(Arbitraries.integers().between(-1, 3),
                        Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as(Register::new);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, register),
                net.jqwik.api.Tuple.of(3, index.map(Unregister::new)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(new Connect())),
                net.jqwik.api.Tuple.of(5, Combinators.combine(index, Arbitraries.integers().between(1, 5)).as(Send::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(index,
                        Arbitraries.of("close", "flood", "sleep1", "sleep20", "pause")).as(Command::new)),
                net.jqwik.api.Tuple.of(1, index.map(Pause::new)),
                net.jqwik.api.Tuple.of(2, index.map(Resume::new)),
                net.jqwik.api.Tuple.of(1, index.map(PeerClose::new)),
                net.jqwik.api.Tuple.of(2, index.map(SetHandler::new)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(index, index, Arbitraries.integers().between(1, 20)).as(Racing::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Barrier())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Stop())));
        // Schedules start with a handler and a client, so that most of them have something to swap.
        Arbitrary<List<Step>> rest = step.list().ofMinSize(3).ofMaxSize(20);
        return Combinators.combine(register, rest).as((first, more) -> {
            List<Step> all = new java.util.ArrayList<>();
            all.add(first);
            all.add(new Connect());
            all.addAll(more);
            return all;
        });
    }
}
