"""Python's cyclic garbage collector, paused while the engine does its own work in a synth.

The engine's work in a synth (the tags of each template, the evaluation after synthesis, the
manifest and the evidence files) builds hundreds of thousands of dicts and lists that stay alive
until the evidence is written. Python's cyclic collector traverses every tracked object in a full
(generation 2) collection, and it starts one whenever the objects that survived earlier
collections have grown by a quarter: on the 2,000-resource benchmark app it ran six of them
during a synth, over the app's construct proxies, the parsed templates and the growing manifest,
about 0.8-1.0 s in all (``docs/performance.md``). The engine's data holds no reference cycles it
needs collected: it is freed by reference counting when the synth's results are dropped. Pausing
the collector for that work, and restoring its previous state afterwards, removes that cost; the
cyclic garbage left for the next collection was about 20,000 objects (a few MiB) on that app.

During ``app.synth()`` of the app given to ``Bio2`` the collector is paused from the start of the
synth to the last evidence file (``pack.Bio2Plugin.write_during_synth``): the engine's steps are
spread over the synth (the tags of each template, what is done ahead in a thread, the check and
the evidence), and between them objects they keep (the evaluations made while tagging, the
modules imported ahead) would set off full collections over the whole app. The app's own aspects
and validation hooks run paused too in that call; whatever cyclic garbage they leave is collected
once it returns. A synth started any other way (``Template.from_stack``, a parent app) pauses the
collector only for the engine's own steps: the stack synthesizer's tagging of one template, and
the plugin's turn after synthesis up to the last evidence file. A collector that was already
disabled stays disabled, and the collector is back in the state the app left it in when the
synth returns or fails.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


class CollectorPause:
    """A pause of the cyclic collector that may end in another call than the one that began it
    (the evidence worker outlives the plugin's turn). Reentrant: a second ``pause`` while paused
    does nothing, and ``resume`` enables the collector only if ``pause`` disabled it."""

    def __init__(self) -> None:
        self._resume = False

    @property
    def active(self) -> bool:
        """True between a ``pause`` that disabled the collector and its ``resume``."""
        return self._resume

    def pause(self) -> None:
        if not self._resume and gc.isenabled():
            gc.disable()
            self._resume = True

    def resume(self) -> None:
        if self._resume:
            self._resume = False
            gc.enable()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector paused; its previous state is restored after."""
    pause = CollectorPause()
    pause.pause()
    try:
        yield
    finally:
        pause.resume()
