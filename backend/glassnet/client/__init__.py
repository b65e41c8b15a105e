"""A small typed Python client for the Glassnet REST API (httpx).

from glassnet.client import GlassnetClient
gn = GlassnetClient("http://127.0.0.1:8000")
run = gn.create_run(spec, start=True)      # remembers the run's owner token
final = gn.wait(run.id)                    # until finished, stopped, diverged, failed...
print(final.state, final.latest_metrics)
rows = gn.metrics(run.id)
"""

from glassnet.client.client import GlassnetClient, GlassnetError

__all__ = ["GlassnetClient", "GlassnetError"]
