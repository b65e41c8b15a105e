/** The node editor: React Flow bound to the spec store, with drop-from-palette and canvas tools. */
import { useCallback, useMemo, useRef, type DragEvent } from "react";
import { Background, Controls, Panel, ReactFlow, useReactFlow, type Edge } from "@xyflow/react";
import { useShallow } from "zustand/react/shallow";
import { nodeTypes } from "../nodes/LayerNodeView";
import { useSpecStore, useStores } from "../store/context";
import type { NodeKind } from "../spec/types";
import { FIT_VIEW, useFitOnLoad } from "./useFitSoon";
import { usePanOnResize } from "./usePanOnResize";

export const DRAG_MIME = "application/x-glassnet-kind";

export function Canvas() {
  const { specs } = useStores();
  const { nodes, edges, onNodesChange, onEdgesChange, onConnect, byEdge, canUndo, canRedo } = useSpecStore(
    useShallow((s) => ({
      nodes: s.nodes,
      edges: s.edges,
      onNodesChange: s.onNodesChange,
      onEdgesChange: s.onEdgesChange,
      onConnect: s.onConnect,
      byEdge: s.validation.mapped.byEdge,
      canUndo: s.past.length > 0,
      canRedo: s.future.length > 0,
    })),
  );
  const flow = useReactFlow();
  const paneRef = useRef<HTMLDivElement | null>(null);
  usePanOnResize(paneRef);
  useFitOnLoad();

  const shownEdges = useMemo<Edge[]>(
    () =>
      edges.map((e) => {
        const problems = byEdge[e.id];
        return problems?.length
          ? {
              ...e,
              className: "edge-problem",
              label: "⚠ shape mismatch",
              animated: false,
              ariaLabel: problems[0]!.message,
            }
          : e;
      }),
    [edges, byEdge],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(DRAG_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(DRAG_MIME) as NodeKind;
      if (!kind) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // Centre the card under the pointer.
      specs.getState().addNode(kind, { x: position.x - 80, y: position.y - 30 });
    },
    [flow, specs],
  );

  return (
    <div className="canvas" ref={paneRef} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onPaneClick={() => specs.getState().select(null)}
        fitView
        fitViewOptions={FIT_VIEW}
        minZoom={0.2}
        maxZoom={2.5}
        deleteKeyCode={["Delete", "Backspace"]}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        <Panel position="top-left" className="canvas-tools">
          <button onClick={() => specs.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)">
            ↶ Undo
          </button>
          <button onClick={() => specs.getState().redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
            ↷ Redo
          </button>
          <button
            onClick={() => {
              specs.getState().autoLayout();
              requestAnimationFrame(() => void flow.fitView({ ...FIT_VIEW, duration: 200 }));
            }}
            title="Arrange left to right by depth (L)"
          >
            ⇶ Auto-layout
          </button>
          <button
            onClick={() => specs.getState().removeNodes(specs.getState().nodes.map((n) => n.id))}
            disabled={nodes.length === 0}
            title="Remove every layer (undo brings them back)"
            data-testid="clear-canvas"
          >
            ✕ Clear
          </button>
        </Panel>
      </ReactFlow>
    </div>
  );
}
