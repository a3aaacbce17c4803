"""Running a JVM fit so that Python callbacks hear it on the thread that called ``fit``.

The JVM fit runs on a background thread (pyspark's ``InheritableThread``, so that the
caller's job group, pool and other local properties apply to the fit's jobs) of a copy of the
JVM trainer with an ``io.sparkps.spark.ProgressQueue`` as a listener; the calling thread
polls that queue and calls the callbacks, then returns the fit's model or raises its error.
A Py4J callback server is not needed, and a Jupyter display updated from the calling thread
lands in the cell that called ``fit``.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Any, Callable, Dict, List, Sequence, Tuple

from py4j.java_gateway import JavaObject
from py4j.protocol import Py4JJavaError
from pyspark.util import InheritableThread

from sparkps._errors import translate
from sparkps._events import TrainingProgress, TrainingStart

LOG = logging.getLogger("sparkps.progress")

_METHODS = ("fitStarted", "progressed", "fitEnded", "fitFailed")
#: Events within epochs that the JVM queue keeps for a slow reader (epoch ends always stay).
_QUEUE_CAPACITY = 256
_POLL_MILLIS = 100
#: How long a fit that returned may still take to deliver its end event.
_END_GRACE_SECONDS = 5.0
#: How long an interrupted fit may take to end after its jobs are cancelled.
_CANCEL_WAIT_SECONDS = 60.0


class _Interrupts:
    """While the calling thread polls, Ctrl-C (SIGINT) only sets a flag that the loop reads.

    pyspark's own SIGINT handler calls into the JVM (``cancelAllJobs``) from inside whatever
    Py4J call the main thread is in, which breaks that call's connection; the loop instead
    cancels between two short polls. Only the main thread can handle signals; elsewhere this
    does nothing.
    """

    def __init__(self) -> None:
        self._flag = threading.Event()
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> "_Interrupts":
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, lambda *_: self._flag.set())
            self._installed = True
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous if self._previous is not None
                          else signal.default_int_handler)

    def seen(self) -> bool:
        return self._flag.is_set()


def _cancel(worker: threading.Thread) -> None:
    """Cancels the running jobs, as pyspark does on Ctrl-C, and waits for the fit to end."""
    from pyspark import SparkContext

    LOG.warning("fit interrupted: cancelling the running Spark jobs")
    context = SparkContext._active_spark_context
    if context is not None:
        context.cancelAllJobs()
    worker.join(_CANCEL_WAIT_SECONDS)


class _HasCallbacks:
    """The callbacks of an estimator: not params, not saved, kept by ``copy``."""

    _callbacks: Tuple[Any, ...] = ()

    def addCallback(self, callback: Any) -> Any:
        """Adds a callback that hears every later ``fit`` of this estimator (and of its
        copies, such as a CrossValidator's): a callable called with each
        :class:`~sparkps.progress.TrainingProgress`, or an object with some of the methods of
        :class:`~sparkps.progress.TrainingCallback`. Adding one replaces the default display
        of :func:`sparkps.progress.set_default` for this estimator.
        """
        if not (callable(callback) or any(hasattr(callback, m) for m in _METHODS)):
            raise TypeError("a callback must be callable or have one of the methods "
                            f"{', '.join(_METHODS)}; got {type(callback).__name__}")
        self._callbacks = self._callbacks + (callback,)
        return self

    def getCallbacks(self) -> List[Any]:
        """The callbacks added with :meth:`addCallback`, in order."""
        return list(self._callbacks)

    def clearCallbacks(self) -> Any:
        """Removes every added callback (fits use the default of ``set_default`` again)."""
        self._callbacks = ()
        return self


class _Dispatch:
    """Turns the JVM's events into Python values and hands them to the live callbacks."""

    def __init__(self, callbacks: Sequence[Any]):
        self._live = list(callbacks)
        self.started = False
        self.ended = False

    def java_event(self, event: JavaObject) -> None:
        kind = str(event.getClass().getSimpleName())
        if kind == "TrainingProgress":
            self.call("progressed", TrainingProgress._from_java(event))
        elif kind == "TrainingStart":
            self.started = True
            self.call("fitStarted", TrainingStart._from_java(event))
        elif kind == "TrainingSummary":
            from sparkps.ml import TrainingSummary

            self.ended = True
            self.call("fitEnded", TrainingSummary._from_java(event))
        else:
            LOG.debug("ignoring a progress event of type %s", kind)

    def call(self, method: str, value: Any) -> None:
        for callback in list(self._live):
            if any(hasattr(callback, m) for m in _METHODS):
                target: Callable[[Any], Any] = getattr(callback, method, None)
            else:
                target = callback if method == "progressed" else None
            if target is None:
                continue
            try:
                target(value)
            except Exception:
                LOG.warning("progress callback %r failed in %s and is called no more; the fit "
                            "goes on", callback, method, exc_info=True)
                self._live.remove(callback)


def fit_java(java_trainer: JavaObject, jdf: JavaObject, callbacks: Sequence[Any]) -> JavaObject:
    """``java_trainer.fit(jdf)``, with ``callbacks`` hearing it on this thread."""
    if not callbacks:
        return java_trainer.fit(jdf)
    from pyspark import SparkContext

    jvm = SparkContext._jvm
    assert jvm is not None, "no SparkContext is running"
    queue = jvm.io.sparkps.spark.ProgressQueue(_QUEUE_CAPACITY)
    # A copy, so that the queue hears this fit only and the trainer keeps its own listeners.
    fitter = java_trainer.copy(jvm.org.apache.spark.ml.param.ParamMap())
    fitter.addListener(queue)
    outcome: Dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["model"] = fitter.fit(jdf)
        except BaseException as e:  # re-raised on the calling thread
            outcome["error"] = e

    worker = InheritableThread(run, name="sparkps-fit")
    worker.daemon = True
    dispatch = _Dispatch(callbacks)
    with _Interrupts() as interrupts:
        worker.start()
        while True:
            if interrupts.seen():
                _cancel(worker)
                dispatch.call("fitFailed", KeyboardInterrupt())
                raise KeyboardInterrupt
            event = queue.poll(_POLL_MILLIS)
            if event is not None:
                dispatch.java_event(event)
            elif not worker.is_alive():
                break
    worker.join()
    event = queue.poll(0)
    while event is not None:
        dispatch.java_event(event)
        event = queue.poll(0)
    if "error" in outcome:
        error = outcome["error"]
        # The callbacks hear the error fit raises: spark-ps's JVM errors as Python ones.
        translated = translate(error) if isinstance(error, Py4JJavaError) else None
        dispatch.call("fitFailed", translated or error)
        if translated is not None:
            raise translated from None
        raise error
    deadline = time.monotonic() + _END_GRACE_SECONDS
    while dispatch.started and not dispatch.ended and time.monotonic() < deadline:
        event = queue.poll(_POLL_MILLIS)
        if event is not None:
            dispatch.java_event(event)
    return outcome["model"]
