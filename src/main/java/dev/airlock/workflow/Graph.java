package dev.airlock.workflow;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Index, parents, children and ancestors of an acyclic workflow with unique, known ids. */
final class Graph {
    final List<Node> nodes;
    final Map<String, Integer> index = new HashMap<>();
    final int[][] parents;
    final List<List<Integer>> children = new ArrayList<>();
    private final BitSet[] ancestors;

    Graph(Workflow w) {
        this.nodes = w.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).id(), i);
            children.add(new ArrayList<>());
        }
        parents = new int[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            List<String> deps = nodes.get(i).dependsOn();
            parents[i] = new int[deps.size()];
            for (int j = 0; j < deps.size(); j++) {
                int p = index.get(deps.get(j));
                parents[i][j] = p;
                children.get(p).add(i);
            }
        }
        ancestors = new BitSet[nodes.size()];
        for (int i : topologicalOrder()) {
            BitSet a = new BitSet(nodes.size());
            for (int p : parents[i]) {
                a.set(p);
                a.or(ancestors[p]);
            }
            ancestors[i] = a;
        }
    }

    int size() {
        return nodes.size();
    }

    Node node(int i) {
        return nodes.get(i);
    }

    int indexOf(String id) {
        return index.get(id);
    }

    boolean isAncestor(int ancestor, int of) {
        return ancestors[of].get(ancestor);
    }

    /** Kahn's order; the graph is known to be acyclic. */
    List<Integer> topologicalOrder() {
        int n = nodes.size();
        int[] pending = new int[n];
        List<Integer> ready = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pending[i] = parents[i].length;
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(n);
        for (int k = 0; k < ready.size(); k++) {
            int i = ready.get(k);
            order.add(i);
            for (int c : children.get(i)) {
                if (--pending[c] == 0) {
                    ready.add(c);
                }
            }
        }
        return order;
    }

    /**
     * One cycle among {@code nodes} as {@code a -> b -> a}, or null. Only ids that exist are followed.
     */
    static @org.jspecify.annotations.Nullable List<String> findCycle(List<Node> nodes) {
        Map<String, Node> byId = new HashMap<>();
        nodes.forEach(n -> byId.putIfAbsent(n.id(), n));
        Map<String, Integer> state = new HashMap<>(); // 1 on stack, 2 done
        for (Node start : nodes) {
            if (state.containsKey(start.id())) {
                continue;
            }
            // Iterative DFS so that a 10,000-node chain does not overflow the stack.
            List<String> path = new ArrayList<>();
            List<Integer> next = new ArrayList<>();
            path.add(start.id());
            next.add(0);
            state.put(start.id(), 1);
            while (!path.isEmpty()) {
                int top = path.size() - 1;
                Node n = byId.get(path.get(top));
                int k = next.get(top);
                if (k < n.dependsOn().size()) {
                    next.set(top, k + 1);
                    String d = n.dependsOn().get(k);
                    if (!byId.containsKey(d)) {
                        continue;
                    }
                    Integer s = state.get(d);
                    if (s == null) {
                        state.put(d, 1);
                        path.add(d);
                        next.add(0);
                    } else if (s == 1) {
                        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(d), path.size()));
                        cycle.add(d);
                        // path follows depends_on edges (child -> parent); show it in run order.
                        java.util.Collections.reverse(cycle);
                        return cycle;
                    }
                } else {
                    state.put(n.id(), 2);
                    path.remove(top);
                    next.remove(top);
                }
            }
        }
        return null;
    }
}
