package dev.soma.models.internal.run;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.Warehouse;
import dev.soma.models.api.NodeInfo;
import dev.soma.models.api.NodeResult;
import dev.soma.models.api.NodeStatus;
import dev.soma.models.api.RunListener;
import dev.soma.models.internal.graph.ModelGraph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Executes a plan of nodes in dependency order on {@code threads} worker connections.
 *
 * <p>A node starts once every planned node upstream of it has succeeded (dependencies through nodes
 * outside the plan count too). When a node fails, every planned node downstream of it is skipped and
 * the rest carry on; with fail-fast, nothing new starts after the first failure. The listener hears
 * everything on the calling thread.
 */
public final class Runner {

    /** Executes one node on the worker's own session. Must not throw; failures are results. */
    @FunctionalInterface
    public interface Task {
        NodeResult execute(String uniqueId, Session session);
    }

    private final Warehouse warehouse;
    private final int threads;
    private final boolean failFast;
    private final RunListener listener;
    private final Clock clock;

    public Runner(Warehouse warehouse, int threads, boolean failFast, RunListener listener, Clock clock) {
        this.warehouse = warehouse;
        this.threads = Math.max(1, threads);
        this.failFast = failFast;
        this.listener = listener;
        this.clock = clock;
    }

    private record Event(String id, NodeResult result) {
    }

    /**
     * What to run.
     *
     * @param graph         the project graph
     * @param planned       unique ids to run
     * @param extraUpstream additional "waits for" edges beyond the graph's (in {@code build}, a model waits for
     *                      the tests of its parents)
     * @param first         ids to start before others when both are ready (tests, so they gate what follows)
     * @param info          describes each node for the listener and for skipped results
     */
    public record Plan(ModelGraph graph, Collection<String> planned, Map<String, Set<String>> extraUpstream,
                       Set<String> first, Function<String, NodeInfo> info) {
    }

    /**
     * Runs the plan.
     *
     * @return every planned node's result, in the order they finished
     */
    public List<NodeResult> run(Plan work, Task task) {
        ModelGraph graph = work.graph();
        Function<String, NodeInfo> info = work.info();
        List<String> plan = graph.inOrder(new LinkedHashSet<>(work.planned()));
        Set<String> inPlan = new HashSet<>(plan);
        Map<String, Set<String>> downstream = new HashMap<>();
        Map<String, Integer> waitingOn = new HashMap<>();
        for (String id : plan) {
            Set<String> upstream = plannedUpstream(graph, id, inPlan);
            for (String extra : work.extraUpstream().getOrDefault(id, Set.of())) {
                if (inPlan.contains(extra)) {
                    upstream.add(extra);
                }
            }
            waitingOn.put(id, upstream.size());
            for (String parent : upstream) {
                downstream.computeIfAbsent(parent, k -> new LinkedHashSet<>()).add(id);
            }
        }
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            position.put(plan.get(i), i);
        }
        PriorityQueue<String> ready = new PriorityQueue<>(
                Comparator.<String>comparingInt(id -> work.first().contains(id) ? 0 : 1).thenComparingInt(position::get));
        plan.stream().filter(id -> waitingOn.get(id) == 0).forEach(ready::add);

        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        int workerCount = Math.min(threads, Math.max(1, plan.size()));
        // Sessions are opened here, so a failure to connect is the caller's error, not a silent dead worker.
        List<Session> sessions = new ArrayList<>();
        try {
            for (int w = 0; w < workerCount; w++) {
                sessions.add(warehouse.openSession());
            }
        } catch (RuntimeException e) {
            sessions.forEach(Session::close);
            throw e;
        }
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < workerCount; w++) {
            Session session = sessions.get(w);
            Thread worker = new Thread(() -> work(session, queue, events, task, info), "soma-worker-" + (w + 1));
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }

        List<NodeResult> results = new ArrayList<>(plan.size());
        Set<String> resolved = new HashSet<>();
        int total = plan.size();
        int[] started = {0};
        Map<String, Integer> index = new HashMap<>();
        int inFlight = 0;
        String stoppedBy = null;
        try {
            while (resolved.size() < total) {
                while (stoppedBy == null && inFlight < workerCount && !ready.isEmpty()) {
                    queue.add(ready.poll());
                    inFlight++;
                }
                if (inFlight == 0) {
                    String why = stoppedBy != null
                            ? "skipped: --fail-fast stopped the run after " + stoppedBy + " failed"
                            : "skipped: its upstream never ran";
                    for (String id : plan) {
                        if (!resolved.contains(id)) {
                            resolved.add(id);
                            NodeResult skipped = NodeResult.skipped(info.apply(id), why);
                            results.add(skipped);
                            listener.nodeFinished(skipped, ++started[0], total);
                        }
                    }
                    break;
                }
                Event event = events.take();
                if (event.result() == null) {
                    index.put(event.id(), ++started[0]);
                    listener.nodeStarted(info.apply(event.id()), started[0], total);
                    continue;
                }
                inFlight--;
                NodeResult result = event.result();
                resolved.add(event.id());
                results.add(result);
                listener.nodeFinished(result, index.getOrDefault(event.id(), started[0]), total);
                if (result.status().isFailure()) {
                    if (failFast && stoppedBy == null) {
                        stoppedBy = result.name();
                    }
                    for (String skippedId : graph.inOrder(plannedDownstream(event.id(), downstream))) {
                        if (resolved.add(skippedId)) {
                            NodeResult skipped = NodeResult.skipped(info.apply(skippedId),
                                    "skipped: upstream " + result.name() + " " + result.status().label());
                            results.add(skipped);
                            listener.nodeFinished(skipped, ++started[0], total);
                        }
                    }
                } else {
                    for (String child : downstream.getOrDefault(event.id(), Set.of())) {
                        int remaining = waitingOn.merge(child, -1, Integer::sum);
                        if (remaining == 0 && !resolved.contains(child)) {
                            ready.add(child);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SomaException(ErrorCode.INTERNAL, "run interrupted", e);
        } finally {
            for (int w = 0; w < workers.size(); w++) {
                queue.add(POISON);
            }
            for (Thread worker : workers) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return results;
    }

    private static final String POISON = "\u0000stop";

    /**
     * A worker: runs what it is given until told to stop. A task that throws (a bug, or an error nobody
     * wrapped) still yields a result for its own node, with the exception as the cause, so the run
     * goes on and the user sees what failed where.
     */
    private void work(Session owned, BlockingQueue<String> work, BlockingQueue<Event> events, Task task,
                      Function<String, NodeInfo> info) {
        try (Session session = owned) {
            while (true) {
                String id = work.take();
                if (POISON.equals(id)) {
                    return;
                }
                events.add(new Event(id, null));
                NodeResult result;
                Instant start = clock.instant();
                try {
                    result = task.execute(id, session);
                } catch (RuntimeException | Error e) {
                    NodeInfo node = info.apply(id);
                    SomaException error = e instanceof SomaException soma ? soma
                            : new SomaException(ErrorCode.INTERNAL, "internal error in " + node.resourceType().label() + " "
                            + node.name() + ": " + e + " (run again with -v for the stack trace, and please report it)", e);
                    result = new NodeResult(node, NodeStatus.ERROR, error.getMessage(), -1, -1, List.of(), start,
                            Duration.between(start, clock.instant()), null, null, error);
                }
                events.add(new Event(id, result.onThread(Thread.currentThread().getName())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Planned nodes this one must wait for: its nearest planned ancestors, looking through unplanned nodes. */
    private static Set<String> plannedUpstream(ModelGraph graph, String id, Set<String> inPlan) {
        Set<String> found = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(graph.parents(id));
        while (!queue.isEmpty()) {
            String parent = queue.poll();
            if (!seen.add(parent)) {
                continue;
            }
            if (inPlan.contains(parent)) {
                found.add(parent);
            } else {
                queue.addAll(graph.parents(parent));
            }
        }
        return found;
    }

    private static Set<String> plannedDownstream(String id, Map<String, Set<String>> downstream) {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(downstream.getOrDefault(id, Set.of()));
        while (!queue.isEmpty()) {
            String next = queue.poll();
            if (all.add(next)) {
                queue.addAll(downstream.getOrDefault(next, Set.of()));
            }
        }
        return all;
    }
}
