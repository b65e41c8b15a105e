import { ViewsArea } from "./app/ViewsArea";

export function App() {
  return (
    <div className="app-shell">
      <header className="app-header">
        <h1>Glassnet</h1>
      </header>
      <main className="app-main">
        <ViewsArea area="main" />
      </main>
    </div>
  );
}
