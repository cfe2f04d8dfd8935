"""Use cases shared by the window and the command line, with no widgets (no QtWidgets).

- `decisions`: who may decide what (the role rule, the reason rule, approved boards), in
  one place; the window and `atelier decide` both call `decisions.decide`.
- `direct`: a note on a shot becomes the RenderJob for its children.
- `render_queue`: the render queue's state (one `JobState` enum), its order and its
  journal `queue.json`.
- `events`: change events (shot changed, shots added, shots removed, boards changed) that
  models and panels observe instead of refreshing one another by hand.
- `writer`: database writes off the GUI thread, in order.
"""
