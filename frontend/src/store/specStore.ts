/**
 * The spec/graph store: the React Flow graph plus the rest of the RunSpec (data, training, seed,
 * dtype, device), validation results, selection and undo/redo. Actions live next to the state.
 */
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { createStore, type StoreApi } from "zustand/vanilla";
import { compileSpec, freshId, graphFromNetwork, type Positions } from "../graph/compile";
import { COLUMN_GAP, layeredLayout } from "../graph/layout";
import { mapProblems, type MappedProblems } from "../graph/problems";
import { edgeId, type LayerEdge, type LayerNode } from "../graph/types";
import type { DataSpec, NodeSpec, Problem, RunSpec, TrainingSpec } from "../spec/types";
import { defaultNodeSpec, defaultSpec } from "../spec/defaults";

export type Rest = Required<Pick<RunSpec, "data" | "training" | "seed" | "dtype" | "device">>;

interface Snapshot {
  nodes: LayerNode[];
  edges: LayerEdge[];
  rest: Rest;
}

export interface Validation {
  /** "pending" while a request is in flight for the current revision. */
  status: "idle" | "pending" | "valid" | "invalid" | "unreachable";
  /** The revision the result belongs to. */
  revision: number;
  problems: Problem[];
  mapped: MappedProblems;
  /** Per-example output shape of every node, from the newest valid answer (kept while invalid). */
  shapes: Record<string, number[]>;
  parameters: Record<string, number>;
  parameterCount: number | null;
  /** Each node's spec (JSON) when `shapes` was last computed, to tell which shapes are still current. */
  shapeBasis: Record<string, string>;
}

export interface SpecState {
  nodes: LayerNode[];
  edges: LayerEdge[];
  rest: Rest;
  selectedId: string | null;
  /** Increments on every change of the spec (not on selection or validation). */
  revision: number;
  validation: Validation;
  past: Snapshot[];
  future: Snapshot[];
  /** Name of the loaded preset or experiment, shown in the header; cleared on the first edit. */
  title: string | null;
  /** The loaded preset's "what to look at" while it runs; kept through edits, replaced by the next load. */
  lookAt: string | null;
  /** Increments each time loadSpec brings in a whole network (preset, experiment, link, back/forward). */
  loads: number;

  onNodesChange: (changes: NodeChange<LayerNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<LayerEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  addNode: (
    kind: NodeSpec["kind"],
    position?: { x: number; y: number },
    connectFrom?: string | null,
  ) => string;
  /** Add a node after `afterId`: spliced into its single outgoing edge, else connected from it. */
  insertAfter: (kind: NodeSpec["kind"], afterId: string | null) => string;
  /** Put a new node of `kind` on the edge source → target. */
  insertBetween: (source: string, target: string, kind: NodeSpec["kind"]) => string | null;
  updateNode: (id: string, patch: Partial<NodeSpec>, coalesceKey?: string) => void;
  replaceNode: (id: string, spec: NodeSpec, coalesceKey?: string) => void;
  renameNode: (id: string, newId: string) => boolean;
  removeNodes: (ids: string[]) => void;
  setData: (patch: Partial<DataSpec>, coalesceKey?: string) => void;
  setTraining: (patch: Partial<TrainingSpec>, coalesceKey?: string) => void;
  setRest: (patch: Partial<Rest>, coalesceKey?: string) => void;
  loadSpec: (
    spec: RunSpec,
    options?: {
      positions?: Positions | null;
      title?: string | null;
      lookAt?: string | null;
      history?: boolean;
    },
  ) => void;
  autoLayout: () => void;
  select: (id: string | null) => void;
  undo: () => void;
  redo: () => void;
  setValidation: (v: Partial<Validation> & { revision: number }) => void;
  /** The RunSpec the graph and panels describe. */
  spec: () => RunSpec;
  positions: () => Positions;
}

export type SpecStore = StoreApi<SpecState>;

const HISTORY_LIMIT = 100;
const COALESCE_MS = 1200;

export function restOf(spec: RunSpec): Rest {
  const d = defaultSpec();
  return {
    data: spec.data ?? d.data!,
    training: spec.training ?? d.training!,
    seed: spec.seed ?? 0,
    dtype: spec.dtype ?? "float32",
    device: spec.device ?? "auto",
  };
}

function emptyValidation(): Validation {
  return {
    status: "idle",
    revision: -1,
    problems: [],
    mapped: { byNode: {}, byEdge: {}, byArea: { network: [], data: [], training: [], general: [] } },
    shapes: {},
    parameters: {},
    parameterCount: null,
    shapeBasis: {},
  };
}

function nodeKeys(nodes: readonly LayerNode[], edges: readonly LayerEdge[]): Record<string, string> {
  const inputs = (id: string) =>
    edges
      .filter((e) => e.target === id)
      .map((e) => e.source)
      .sort();
  return Object.fromEntries(nodes.map((n) => [n.id, JSON.stringify([n.data.spec, inputs(n.id)])]));
}

export function createSpecStore(initial: RunSpec = defaultSpec()): SpecStore {
  let lastKey: string | null = null;
  let lastAt = 0;

  return createStore<SpecState>()((set, get) => {
    const snapshot = (): Snapshot => {
      const s = get();
      return { nodes: s.nodes, edges: s.edges, rest: s.rest };
    };

    /** Apply a spec change, recording an undo step unless it continues the same edit (same key, soon). */
    const commit = (patch: Partial<Pick<SpecState, "nodes" | "edges" | "rest">>, coalesceKey?: string) => {
      const now = Date.now();
      const coalesce = coalesceKey !== undefined && coalesceKey === lastKey && now - lastAt < COALESCE_MS;
      lastKey = coalesceKey ?? null;
      lastAt = now;
      set((s) => ({
        ...patch,
        past: coalesce ? s.past : [...s.past.slice(-(HISTORY_LIMIT - 1)), snapshot()],
        future: [],
        revision: s.revision + 1,
        title: null,
      }));
    };

    const first = graphFromNetwork(initial.network);
    return {
      nodes: first.nodes,
      edges: first.edges,
      rest: restOf(initial),
      selectedId: null,
      revision: 0,
      validation: emptyValidation(),
      past: [],
      future: [],
      title: null,
      lookAt: null,
      loads: 0,

      onNodesChange: (changes) => {
        const structural = changes.some(
          (c) => c.type === "remove" || c.type === "add" || c.type === "replace",
        );
        const dragEnd = changes.some((c) => c.type === "position" && c.dragging === false);
        const nodes = applyNodeChanges(changes, get().nodes);
        if (structural) {
          const ids = new Set(nodes.map((n) => n.id));
          const edges = get().edges.filter((e) => ids.has(e.source) && ids.has(e.target));
          const selectedId = get().selectedId;
          commit({ nodes, edges });
          if (selectedId && !ids.has(selectedId)) set({ selectedId: null });
        } else if (dragEnd) {
          // A finished drag is one undo step; positions are not part of the spec, so no new revision.
          set((s) => ({ nodes, past: [...s.past.slice(-(HISTORY_LIMIT - 1)), snapshot()], future: [] }));
        } else {
          const selected = changes.find((c) => c.type === "select" && c.selected);
          set({ nodes, ...(selected && selected.type === "select" ? { selectedId: selected.id } : {}) });
        }
      },

      onEdgesChange: (changes) => {
        const edges = applyEdgeChanges(changes, get().edges);
        if (changes.some((c) => c.type === "remove" || c.type === "add" || c.type === "replace"))
          commit({ edges });
        else set({ edges });
      },

      onConnect: ({ source, target }) => {
        if (!source || !target || source === target) return;
        const id = edgeId(source, target);
        if (get().edges.some((e) => e.id === id)) return;
        commit({ edges: [...get().edges, { id, source, target }] });
      },

      addNode: (kind, position, connectFrom) => {
        const s = get();
        const taken = new Set(s.nodes.map((n) => n.id));
        const id = freshId(kind, taken);
        const spec = defaultNodeSpec(kind, id);
        let pos = position;
        if (!pos) {
          const right = s.nodes.reduce((m, n) => Math.max(m, n.position.x), -240);
          pos = { x: right + 240, y: 0 };
        }
        const node: LayerNode = { id, type: "layer", position: pos, data: { spec } };
        const edges =
          connectFrom && taken.has(connectFrom)
            ? [...s.edges, { id: edgeId(connectFrom, id), source: connectFrom, target: id }]
            : s.edges;
        commit({ nodes: [...s.nodes, node], edges });
        set({ selectedId: id });
        return id;
      },

      insertAfter: (kind, afterId) => {
        const s = get();
        const outgoing = afterId ? s.edges.filter((e) => e.source === afterId) : [];
        if (afterId && outgoing.length === 1) return get().insertBetween(afterId, outgoing[0]!.target, kind)!;
        const after = s.nodes.find((n) => n.id === afterId);
        const position = after ? { x: after.position.x + COLUMN_GAP, y: after.position.y } : undefined;
        return get().addNode(kind, position, afterId);
      },

      insertBetween: (source, target, kind) => {
        const s = get();
        const a = s.nodes.find((n) => n.id === source);
        const b = s.nodes.find((n) => n.id === target);
        if (!a || !b) return null;
        const id = freshId(kind, new Set(s.nodes.map((n) => n.id)));
        // The nodes downstream shift right so the new card does not cover anything.
        const downstream = new Set<string>([target]);
        for (let grew = true; grew;) {
          grew = false;
          for (const e of s.edges)
            if (downstream.has(e.source) && !downstream.has(e.target)) {
              downstream.add(e.target);
              grew = true;
            }
        }
        const nodes = s.nodes.map((n) =>
          downstream.has(n.id) ? { ...n, position: { x: n.position.x + COLUMN_GAP, y: n.position.y } } : n,
        );
        nodes.push({
          id,
          type: "layer",
          position: { x: a.position.x + COLUMN_GAP, y: b.position.y },
          data: { spec: defaultNodeSpec(kind, id) },
        });
        const edges = s.edges
          .filter((e) => !(e.source === source && e.target === target))
          .concat([
            { id: edgeId(source, id), source, target: id },
            { id: edgeId(id, target), source: id, target },
          ]);
        commit({ nodes, edges });
        set({ selectedId: id });
        return id;
      },

      updateNode: (id, patch, coalesceKey) => {
        const nodes = get().nodes.map((n) =>
          n.id === id ? { ...n, data: { ...n.data, spec: { ...n.data.spec, ...patch, id } as NodeSpec } } : n,
        );
        commit({ nodes }, coalesceKey ?? `node:${id}:${Object.keys(patch).join(",")}`);
      },

      replaceNode: (id, spec, coalesceKey) => {
        const nodes = get().nodes.map((n) =>
          n.id === id ? { ...n, data: { ...n.data, spec: { ...spec, id } } } : n,
        );
        commit({ nodes }, coalesceKey);
      },

      renameNode: (id, newId) => {
        const s = get();
        if (id === newId) return true;
        if (!/^[A-Za-z_][A-Za-z0-9_-]{0,39}$/.test(newId) || s.nodes.some((n) => n.id === newId))
          return false;
        const nodes = s.nodes.map((n) =>
          n.id === id ? { ...n, id: newId, data: { ...n.data, spec: { ...n.data.spec, id: newId } } } : n,
        );
        const edges = s.edges.map((e) => {
          const source = e.source === id ? newId : e.source;
          const target = e.target === id ? newId : e.target;
          return { ...e, id: edgeId(source, target), source, target };
        });
        commit({ nodes, edges });
        if (s.selectedId === id) set({ selectedId: newId });
        return true;
      },

      removeNodes: (ids) => {
        const gone = new Set(ids);
        const s = get();
        commit({
          nodes: s.nodes.filter((n) => !gone.has(n.id)),
          edges: s.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
        });
        if (s.selectedId && gone.has(s.selectedId)) set({ selectedId: null });
      },

      setData: (patch, coalesceKey) => {
        const rest = get().rest;
        commit(
          { rest: { ...rest, data: { ...rest.data, ...patch } } },
          coalesceKey ?? `data:${Object.keys(patch).join(",")}`,
        );
      },

      setTraining: (patch, coalesceKey) => {
        const rest = get().rest;
        commit(
          { rest: { ...rest, training: { ...rest.training, ...patch } } },
          coalesceKey ?? `training:${Object.keys(patch).join(",")}`,
        );
      },

      setRest: (patch, coalesceKey) => {
        commit({ rest: { ...get().rest, ...patch } }, coalesceKey ?? `rest:${Object.keys(patch).join(",")}`);
      },

      loadSpec: (spec, options) => {
        const { nodes, edges } = graphFromNetwork(spec.network, options?.positions);
        const rest = restOf(spec);
        if (options?.history === false) {
          set((s) => ({ nodes, edges, rest, revision: s.revision + 1, selectedId: null }));
        } else {
          commit({ nodes, edges, rest });
          set({ selectedId: null });
        }
        set((s) => ({ title: options?.title ?? null, lookAt: options?.lookAt ?? null, loads: s.loads + 1 }));
      },

      autoLayout: () => {
        const s = get();
        const laid = layeredLayout(s.nodes, s.edges);
        set((st) => ({
          nodes: s.nodes.map((n) => ({ ...n, position: laid[n.id] ?? n.position })),
          past: [...st.past.slice(-(HISTORY_LIMIT - 1)), snapshot()],
          future: [],
        }));
      },

      select: (id) => {
        set((s) => ({
          selectedId: id,
          nodes: s.nodes.map((n) => (n.selected === (n.id === id) ? n : { ...n, selected: n.id === id })),
        }));
      },

      undo: () => {
        const s = get();
        const prev = s.past[s.past.length - 1];
        if (!prev) return;
        lastKey = null;
        set({
          ...prev,
          past: s.past.slice(0, -1),
          future: [snapshot(), ...s.future],
          revision: s.revision + 1,
          selectedId: prev.nodes.some((n) => n.id === s.selectedId) ? s.selectedId : null,
        });
      },

      redo: () => {
        const s = get();
        const next = s.future[0];
        if (!next) return;
        lastKey = null;
        set({
          ...next,
          past: [...s.past, snapshot()],
          future: s.future.slice(1),
          revision: s.revision + 1,
          selectedId: next.nodes.some((n) => n.id === s.selectedId) ? s.selectedId : null,
        });
      },

      setValidation: (v) => {
        const s = get();
        if (v.revision !== s.revision) return; // an answer for an older edit
        const prev = s.validation;
        const problems = v.problems ?? prev.problems;
        const next: Validation = {
          ...prev,
          ...v,
          problems,
          mapped: v.problems ? mapProblems(v.problems, s.spec()) : prev.mapped,
        };
        const keys = nodeKeys(s.nodes, s.edges);
        if (v.shapes) {
          next.shapeBasis = keys;
        } else if (v.status === "invalid") {
          // Keep a shape only while the node and everything upstream are as they were when it was computed.
          const stale = new Set(
            Object.keys(keys).filter((id) => prev.shapeBasis[id] !== keys[id] || next.mapped.byNode[id]),
          );
          for (let grew = true; grew;) {
            grew = false;
            for (const e of s.edges) {
              if (stale.has(e.source) && !stale.has(e.target)) {
                stale.add(e.target);
                grew = true;
              }
            }
          }
          const keep = (id: string) => !stale.has(id);
          next.shapes = Object.fromEntries(Object.entries(prev.shapes).filter(([id]) => keep(id)));
          next.parameters = Object.fromEntries(Object.entries(prev.parameters).filter(([id]) => keep(id)));
          next.parameterCount = null;
        }
        set({ validation: next });
      },

      spec: () => {
        const s = get();
        return compileSpec(s.nodes, s.edges, s.rest);
      },

      positions: () =>
        Object.fromEntries(
          get().nodes.map((n) => [n.id, { x: Math.round(n.position.x), y: Math.round(n.position.y) }]),
        ),
    };
  });
}
