package dev.soma.models.internal.run;

import dev.soma.core.error.ErrorCode;
import dev.soma.core.error.SomaException;
import dev.soma.core.warehouse.Session;
import dev.soma.core.warehouse.SqlOwner;
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
import java.util.function.Predicate;

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

        /**
         * Called on a worker's session inside a batch's transaction, after every node of the batch
         * succeeded and right before the commit: what the task kept for the batch is written now, so it
         * commits with the batch or not at all.
         */
        default void beforeCommit(Session session) {
        }

        /** Called after a batch's transaction was rolled back: what the task kept for it is forgotten. */
        default void afterRollback(Session session) {
        }
    }

    /**
     * Which nodes may share one transaction with others on one worker (see {@link #run}).
     *
     * @param batchable nodes that may be built inside a transaction with others: one statement each, nothing
     *                  that must be seen by another connection before the batch commits
     * @param maxSize   at most this many nodes in one transaction
     */
    public record Batching(Predicate<String> batchable, int maxSize) {

        /** Every node alone, each in its own statements (no shared transaction). */
        public static final Batching NONE = new Batching(id -> false, 1);

        public Batching {
            maxSize = Math.max(1, maxSize);
        }
    }

    /** What a worker is given: one node, or a batch of nodes to build in order in one transaction. */
    private record Assignment(List<String> ids, boolean batch) {
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

    /**
     * What a worker reports: a node started ({@code result} null), a node finished, or (with {@code returned})
     * nodes of a batch that was rolled back, to run again one by one.
     */
    private record Event(String id, NodeResult result, List<String> returned, boolean last) {

        static Event started(String id) {
            return new Event(id, null, null, false);
        }

        static Event finished(String id, NodeResult result, boolean last) {
            return new Event(id, result, null, last);
        }

        static Event returned(List<String> ids) {
            return new Event(null, null, ids, true);
        }
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
     * Runs the plan, every node on its own.
     *
     * @return every planned node's result, in the order they finished
     */
    public List<NodeResult> run(Plan work, Task task) {
        return run(work, task, Batching.NONE);
    }

    /**
     * Runs the plan. Nodes that {@code batching} allows are given to a worker together: the ready ones, and
     * those whose every planned upstream node is done or earlier in the same batch, in dependency order, up
     * to {@link Batching#maxSize()}. The worker builds them in one transaction on its own session (which
     * sees what it built before committing), so a batch of views costs one commit instead of one per view.
     * Their results are reported once the batch has committed. When one of them fails, the batch is rolled
     * back and its nodes run again one by one, so every failure is reported for the node it belongs to and
     * skips exactly its own downstream, as without batches.
     *
     * @return every planned node's result, in the order they finished
     */
    public List<NodeResult> run(Plan work, Task task, Batching batching) {
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

        BlockingQueue<Assignment> queue = new LinkedBlockingQueue<>();
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

        // A second batch may wait in the queue behind each worker's: a worker that commits one starts the next at
        // once instead of idling while this thread takes in the last one's results (1,000 nodes' events) and plans
        // another. Only batches (a single node's place in the queue would not keep its priority), and never with
        // fail-fast (nothing may start after a failure, and a queued batch would).
        int queuedBatches = failFast ? 1 : 2;
        List<NodeResult> results = new ArrayList<>(plan.size());
        Set<String> resolved = new HashSet<>();
        int total = plan.size();
        int[] started = {0};
        Map<String, Integer> index = new HashMap<>();
        int inFlight = 0;
        String stoppedBy = null;
        Set<String> dispatched = new HashSet<>();
        Set<String> alone = new HashSet<>(); // returned from a failed batch: in a batch of their own from now on
        try {
            while (resolved.size() < total) {
                while (stoppedBy == null && !ready.isEmpty() && (inFlight < workerCount
                        || inFlight < queuedBatches * workerCount && batchable(ready.peek(), batching, alone))) {
                    String next = ready.poll();
                    boolean batchable = batching.batchable().test(next);
                    List<String> batch = batchable && !alone.contains(next)
                            ? batch(next, ready, downstream, waitingOn, alone, batching, Math.max(1, workerCount - inFlight))
                            : List.of(next);
                    dispatched.addAll(batch);
                    queue.add(new Assignment(batch, batchable));
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
                if (event.returned() != null) {
                    // A batch rolled back: its nodes run again, each alone, as their upstream allows.
                    inFlight--;
                    for (String id : event.returned()) {
                        dispatched.remove(id);
                        alone.add(id);
                        if (waitingOn.get(id) == 0 && !resolved.contains(id)) {
                            ready.add(id);
                        }
                    }
                    continue;
                }
                if (event.result() == null) {
                    index.put(event.id(), ++started[0]);
                    listener.nodeStarted(info.apply(event.id()), started[0], total);
                    continue;
                }
                if (event.last()) {
                    inFlight--;
                }
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
                        if (remaining == 0 && !resolved.contains(child) && !dispatched.contains(child)) {
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
                queue.add(new Assignment(List.of(POISON), false));
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

    private static boolean batchable(String id, Batching batching, Set<String> alone) {
        return batching.batchable().test(id) && !alone.contains(id);
    }

    private static final String POISON = "\u0000stop";

    /**
     * A worker: runs what it is given until told to stop. A task that throws (a bug, or an error nobody
     * wrapped) still yields a result for its own node, with the exception as the cause, so the run
     * goes on and the user sees what failed where.
     */
    private void work(Session owned, BlockingQueue<Assignment> work, BlockingQueue<Event> events, Task task,
                      Function<String, NodeInfo> info) {
        try (Session session = owned) {
            while (true) {
                Assignment assignment = work.take();
                if (POISON.equals(assignment.ids().get(0))) {
                    return;
                }
                if (assignment.batch()) {
                    batch(session, assignment.ids(), events, task, info);
                    continue;
                }
                String id = assignment.ids().get(0);
                events.add(Event.started(id));
                events.add(Event.finished(id, executeOne(id, session, task, info), true));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private NodeResult executeOne(String id, Session session, Task task, Function<String, NodeInfo> info) {
        NodeResult result;
        Instant start = clock.instant();
        try {
            result = task.execute(id, session);
        } catch (RuntimeException | Error e) {
            result = failure(id, info, e, start);
        }
        return result.onThread(Thread.currentThread().getName());
    }

    private NodeResult failure(String id, Function<String, NodeInfo> info, Throwable e, Instant start) {
        NodeInfo node = info.apply(id);
        SomaException error = e instanceof SomaException soma ? soma
                : new SomaException(ErrorCode.INTERNAL, "internal error in " + node.resourceType().label() + " "
                + node.name() + ": " + e + " (run again with -v for the stack trace, and please report it)", e);
        return new NodeResult(node, NodeStatus.ERROR, error.getMessage(), -1, -1, List.of(), start,
                Duration.between(start, clock.instant()), null, null, error).onThread(Thread.currentThread().getName());
    }

    /** Thrown inside a batch's transaction to roll it back when one of its nodes failed. */
    private static final class BatchFailed extends RuntimeException {
        BatchFailed() {
            super(null, null, false, false);
        }
    }

    /**
     * Builds {@code ids} in order in one transaction on {@code session}. All succeeded: committed, then
     * reported. One failed (or the commit did): rolled back and handed back to the scheduler to run one by one.
     */
    private void batch(Session session, List<String> ids, BlockingQueue<Event> events, Task task,
                       Function<String, NodeInfo> info) {
        List<NodeResult> results = new ArrayList<>(ids.size());
        Instant start = clock.instant();
        try {
            session.inTransaction(SqlOwner.soma("batch of " + ids.size() + " nodes"), tx -> {
                for (String id : ids) {
                    NodeResult result = executeOne(id, tx, task, info);
                    results.add(result);
                    if (result.status() != NodeStatus.SUCCESS) {
                        throw new BatchFailed();
                    }
                }
                task.beforeCommit(tx);
                return null;
            });
        } catch (RuntimeException e) {
            task.afterRollback(session);
            if (ids.size() > 1) {
                events.add(Event.returned(ids));
                return;
            }
            // A batch of one: its failure is the node's own (or the commit's), reported as it is.
            String id = ids.get(0);
            NodeResult failed = e instanceof BatchFailed ? results.get(0) : failure(id, info, e, start);
            events.add(Event.started(id));
            events.add(Event.finished(id, failed, true));
            return;
        }
        for (int i = 0; i < ids.size(); i++) {
            events.add(Event.started(ids.get(i)));
            events.add(Event.finished(ids.get(i), results.get(i), i == ids.size() - 1));
        }
    }

    /**
     * A batch starting at {@code first}: more ready batchable nodes, then nodes whose every planned upstream
     * node is done or already in the batch, in plan order, up to the batch size. With several idle workers
     * the ready nodes are shared out among them, so a batch does not take the work of an idle worker.
     */
    private static List<String> batch(String first, PriorityQueue<String> ready, Map<String, Set<String>> downstream,
                                      Map<String, Integer> waitingOn, Set<String> alone, Batching batching, int idleWorkers) {
        List<String> batch = new ArrayList<>();
        Set<String> inBatch = new HashSet<>();
        batch.add(first);
        inBatch.add(first);
        int roots = Math.max(1, (ready.size() + 1 + idleWorkers - 1) / idleWorkers);
        List<String> passedOver = new ArrayList<>();
        while (batch.size() < roots && batch.size() < batching.maxSize() && !ready.isEmpty()) {
            String next = ready.poll();
            if (batchable(next, batching, alone)) {
                batch.add(next);
                inBatch.add(next);
            } else {
                passedOver.add(next);
            }
        }
        ready.addAll(passedOver);
        // Children become part of the batch once all their planned parents are in it (or done): the
        // worker's own transaction sees them. Counted down on a copy: nothing is done until the batch commits.
        Map<String, Integer> remaining = new HashMap<>();
        for (int i = 0; i < batch.size() && batch.size() < batching.maxSize(); i++) {
            for (String child : downstream.getOrDefault(batch.get(i), Set.of())) {
                int left = remaining.merge(child, waitingOn.get(child) - 1, (a, b) -> a - 1);
                if (left == 0 && batchable(child, batching, alone) && inBatch.add(child)) {
                    batch.add(child);
                    if (batch.size() >= batching.maxSize()) {
                        break;
                    }
                }
            }
        }
        return batch;
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
