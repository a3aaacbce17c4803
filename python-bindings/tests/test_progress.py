"""Progress of a fit in Python: the JVM queue's events, the callbacks, and the sinks."""

from __future__ import annotations

import doctest
import io
import math
import os
import signal
import threading

import pytest

import sparkps
from sparkps import InvalidConfigError, PSTrainer
from sparkps import _display, _fitting, _mlflow, progress
from sparkps.progress import (ConsoleProgress, JupyterProgress, MLflowProgress,
                              TrainingCallback, TrainingProgress, TrainingStart)

EPOCHS = 3


def _progress(epoch: int, ended: bool = True, validation: bool = False) -> TrainingProgress:
    return TrainingProgress(
        epoch=epoch, max_epochs=EPOCHS, epoch_ended=ended, examples=100 * epoch,
        loss=1.0 / epoch, examples_per_second=5000.0, elapsed_seconds=0.5 * epoch,
        eta_seconds=0.5 * (EPOCHS - epoch),
        validation_loss=1.1 / epoch if validation else math.nan,
        validation_metric="areaUnderROC" if validation else None,
        validation_value=0.8 + 0.02 * epoch if validation else math.nan)


class Recorder(TrainingCallback):
    """Keeps every event it hears, with the thread it heard it on."""

    def __init__(self):
        self.events = []
        self.threads = set()

    def _keep(self, kind, value):
        self.events.append((kind, value))
        self.threads.add(threading.get_ident())

    def fitStarted(self, start):
        self._keep("start", start)

    def progressed(self, p):
        self._keep("progress", p)

    def fitEnded(self, summary):
        self._keep("end", summary)

    def fitFailed(self, error):
        self._keep("failed", error)


def test_module_examples_run():
    for module in (progress, _display, _mlflow):
        failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert failed == 0, module.__name__


def test_jvm_events_reach_callbacks_as_python_values(spark):
    """ProgressQueue (JVM) -> _Dispatch: every field of the JVM records arrives."""
    jvm = spark.sparkContext._jvm
    queue = jvm.io.sparkps.spark.ProgressQueue(4)
    params = jvm.java.util.HashMap()
    params.put("stepSize", "0.5")
    queue.fitStarted(jvm.io.sparkps.spark.TrainingStart("downpour", 2, 3, 4, 10, 1280, params))
    queue.progressed(jvm.io.sparkps.spark.TrainingProgress(
        2, 4, True, 2560, 0.25, 1000.0, 2.5, 2.5, 0.3, "accuracy", 0.9))
    recorder, plain = Recorder(), []
    dispatch = _fitting._Dispatch([recorder, plain.append])
    dispatch.java_event(queue.poll(0))
    dispatch.java_event(queue.poll(0))
    assert recorder.events == [
        ("start", TrainingStart("downpour", 2, 3, 4, 10, 1280, {"stepSize": "0.5"})),
        ("progress", TrainingProgress(2, 4, True, 2560, 0.25, 1000.0, 2.5, 2.5, 0.3,
                                      "accuracy", 0.9))]
    assert plain == [recorder.events[1][1]], "a plain callable hears progress only"
    assert dispatch.started and not dispatch.ended


def test_a_failing_callback_is_dropped_and_the_others_go_on(caplog):
    calls = []

    def broken(p):
        calls.append(p.epoch)
        raise RuntimeError("boom")

    recorder = Recorder()
    dispatch = _fitting._Dispatch([broken, recorder])
    for epoch in (1, 2):
        dispatch.call("progressed", _progress(epoch))
    assert calls == [1]
    assert [p.epoch for _, p in recorder.events] == [1, 2]
    assert "called no more" in caplog.text


def test_add_callback_checks_its_argument_and_copies_keep_callbacks():
    trainer = PSTrainer.__new__(PSTrainer)  # no JVM needed for the Python-side list
    with pytest.raises(TypeError, match="must be callable"):
        _fitting._HasCallbacks.addCallback(trainer, 42)
    cb = Recorder()
    _fitting._HasCallbacks.addCallback(trainer, cb)
    assert trainer.getCallbacks() == [cb]
    assert trainer.clearCallbacks().getCallbacks() == []


def test_console_prints_a_line_per_epoch():
    out = io.StringIO()
    console = ConsoleProgress(file=out)
    console.progressed(_progress(1, ended=False))
    for epoch in range(1, EPOCHS + 1):
        console.progressed(_progress(epoch, validation=True))
    lines = out.getvalue().splitlines()
    assert len(lines) == EPOCHS
    assert lines[0].startswith("epoch 1/3  loss 1.0000  5,000 ex/s  elapsed 0.5 s  ETA 1.0 s")
    assert lines[2].endswith("validation loss 0.3667  areaUnderROC 0.8600")


def test_jupyter_display_keeps_a_row_per_epoch_and_the_running_one():
    display = JupyterProgress(max_rows=2)
    display.fitStarted(TrainingStart("sandblaster", 2, 2, EPOCHS, 10, 1280, {}))
    for epoch in range(1, EPOCHS + 1):
        display.progressed(_progress(epoch, validation=True))
    display.progressed(_progress(EPOCHS, ended=False))
    state = display.state()
    assert state["epochs_ended"] == EPOCHS
    assert [(r["epoch"], r["epoch_ended"]) for r in state["rows"]] == [(2, True), (3, True),
                                                                         (3, False)]
    assert state["rows"][0]["validation_value"] == pytest.approx(0.84)
    html = display.html()
    assert "1 earlier epochs not shown" in html and "<th>areaUnderROC</th>" in html
    assert display.text().splitlines()[0] == ("sandblaster: 2 workers, 2 servers, 3 epochs "
                                              "of 1,280 examples")


def test_jupyter_display_json_has_no_nan():
    display = JupyterProgress()
    display.progressed(_progress(1))
    row = display.state()["rows"][0]
    assert row["validation_loss"] is None and row["validation_value"] is None


def test_default_is_nothing_outside_jupyter_and_can_be_set():
    assert not progress.in_jupyter_kernel()
    try:
        progress.set_default("auto")
        assert progress.default_callbacks() == ()
        progress.set_default("console")
        assert isinstance(progress.default_callbacks()[0], ConsoleProgress)
        with pytest.raises(ValueError, match="one of auto, jupyter, console, none"):
            progress.set_default("loud")
    finally:
        progress.set_default("auto")


@pytest.fixture(scope="module")
def mlflow_uri(tmp_path_factory) -> str:
    """A local MLflow tracking store: a SQLite file in a temporary folder."""
    return "sqlite:///" + str(tmp_path_factory.mktemp("mlflow") / "mlflow.db")


def test_mlflow_sink_writes_a_real_local_store(mlflow_uri):
    """MLflowProgress against a local tracking store, read back with MlflowClient."""
    from mlflow import MlflowClient

    uri = mlflow_uri
    sink = MLflowProgress(experiment_name="sparkps-unit", tracking_uri=uri)
    sink.fitStarted(TrainingStart("sandblaster", 2, 2, EPOCHS, 10, 1280,
                                  {"stepSize": "0.1", "maxEpochs": "3"}))
    for epoch in range(1, EPOCHS + 1):
        sink.progressed(_progress(epoch, ended=False))
        sink.progressed(_progress(epoch, validation=True))

    class Validation:
        loss = [1.1, 0.55, 0.6]
        best_epoch = 2

    class Summary:
        epoch_loss = [1.0, 0.5, 1 / 3]
        final_loss = 1 / 3
        train_seconds = 1.5
        validation = Validation()

    sink.fitEnded(Summary())
    client = MlflowClient(uri)
    run = client.get_run(sink.run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params == {"stepSize": "0.1", "maxEpochs": "3"}
    assert run.data.tags["sparkps.framework"] == "sandblaster"
    loss = client.get_metric_history(sink.run_id, "loss")
    assert [(m.step, m.value) for m in loss] == [(e, pytest.approx(1.0 / e))
                                                 for e in range(1, EPOCHS + 1)]
    auc = client.get_metric_history(sink.run_id, "validation_areaUnderROC")
    assert [m.step for m in auc] == [1, 2, 3]
    assert run.data.metrics["train_seconds"] == 1.5
    assert (run.data.metrics["best_epoch"], run.data.metrics["best_validation_loss"]) == (2, 0.55)


def test_fit_with_a_callback_reports_each_epoch_on_the_calling_thread(a9a):
    """A real fit: the callbacks hear start, one epoch end per epoch and the end, on the
    thread that called fit, and the end's summary is the model's."""
    train, _ = a9a
    recorder, plain = Recorder(), []
    trainer = (PSTrainer(framework="sandblaster", numWorkers=2, maxEpochs=EPOCHS)
               .addCallback(recorder).addCallback(plain.append))
    model = trainer.fit(train)
    kinds = [k for k, _ in recorder.events]
    assert kinds[0] == "start" and kinds[-1] == "end", kinds
    start = recorder.events[0][1]
    assert (start.framework, start.num_workers, start.max_epochs) == ("sandblaster", 2, EPOCHS)
    assert start.params["maxEpochs"] == str(EPOCHS)
    ends = [p for k, p in recorder.events if k == "progress" and p.epoch_ended]
    assert [p.epoch for p in ends] == list(range(1, EPOCHS + 1))
    assert all(p.loss > 0 and p.examples_per_second > 0 for p in ends)
    assert not math.isnan(ends[0].eta_seconds)
    assert [p.loss for p in ends] == pytest.approx(model.summary.epoch_loss, rel=1e-6)
    end, summary = recorder.events[-1][1], model.summary
    assert (end.epoch_loss, end.total_steps, end.train_seconds) == (
        summary.epoch_loss, summary.total_steps, summary.train_seconds)
    assert recorder.threads == {threading.get_ident()}
    assert [p for p in plain if p.epoch_ended] == ends


def test_fit_errors_still_raise_on_the_calling_thread(a9a):
    train, _ = a9a
    recorder = Recorder()
    trainer = PSTrainer(numWorkers=2, maxEpochs=1).addCallback(recorder)
    trainer._set(framework="ring")
    with pytest.raises(InvalidConfigError) as raised:
        trainer.fit(train)
    assert raised.value.setting == "framework"
    assert recorder.events == [("failed", raised.value)], "the callbacks hear what fit raises"
    assert "ring" in str(raised.value)


def test_mlflow_sink_logs_a_real_fit_with_its_validation_curve(a9a, mlflow_uri):
    """A real fit with validation rows: the events carry the validation figures the summary
    records, and the MLflow run holds them per epoch next to the training loss."""
    from mlflow import MlflowClient
    from pyspark.sql.functions import col, hash as hash_, lit, pmod

    train, _ = a9a
    held_out = train.withColumn(
        "isVal", pmod(hash_(col("features").cast("string"), lit(7)), lit(5)) == 0)
    sink, recorder = MLflowProgress(experiment_name="sparkps-fit", tracking_uri=mlflow_uri), []
    model = (PSTrainer(framework="sandblaster", numWorkers=2, maxEpochs=2, stepSize=0.2,
                       validationIndicatorCol="isVal")
             .addCallback(sink).addCallback(recorder.append).fit(held_out))
    v = model.summary.validation
    ends = [p for p in recorder if p.epoch_ended]
    assert [p.validation_metric for p in ends] == ["areaUnderROC"] * 2
    assert [p.validation_loss for p in ends] == pytest.approx(v.loss, rel=1e-9)
    assert [p.validation_value for p in ends] == pytest.approx(v.metric_values, rel=1e-9)

    client = MlflowClient(mlflow_uri)
    run = client.get_run(sink.run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["stepSize"] == "0.2"
    assert run.data.params["validationIndicatorCol"] == "isVal"

    def history(key):
        points = client.get_metric_history(sink.run_id, key)
        return [m.step for m in points], [m.value for m in points]

    for key, expected in (("loss", model.summary.epoch_loss), ("validation_loss", v.loss),
                          ("validation_areaUnderROC", v.metric_values)):
        steps, values = history(key)
        assert steps == [1, 2] and values == pytest.approx(expected), key
    assert history("examples_per_second")[0] == [1, 2]
    assert run.data.metrics["best_epoch"] == v.best_epoch


def test_ctrl_c_during_a_fit_cancels_it_and_the_session_goes_on(a9a):
    """SIGINT while fit polls (here sent by a callback at the first epoch's end, so that it
    surely falls inside the fit) cancels the fit's jobs and raises KeyboardInterrupt; the
    session then fits again."""
    train, _ = a9a
    recorder = Recorder()

    class Interrupter(TrainingCallback):
        def progressed(self, p):
            if p.epoch_ended and p.epoch == 1:
                os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        (PSTrainer(framework="sandblaster", numWorkers=2, maxEpochs=200)
         .addCallback(Interrupter()).addCallback(recorder).fit(train))
    assert recorder.events[-1][0] == "failed"
    assert isinstance(recorder.events[-1][1], KeyboardInterrupt)
    heard = [p.epoch for k, p in recorder.events if k == "progress" and p.epoch_ended]
    assert heard and max(heard) < 200
    assert not [t for t in threading.enumerate() if t.name == "sparkps-fit"]
    again = PSTrainer(framework="sandblaster", numWorkers=2, maxEpochs=1).fit(train)
    assert len(again.summary.epoch_loss) == 1


def test_cross_validator_fits_in_parallel_each_heard_on_its_own_thread(a9a):
    """CrossValidator(parallelism=2) calls fit from its pool threads: every fit is heard
    whole, on the thread that called it, and none of the JVM fits' threads calls back."""
    from pyspark.ml.evaluation import BinaryClassificationEvaluator
    from pyspark.ml.tuning import CrossValidator, ParamGridBuilder

    train, _ = a9a
    small = train.limit(2000).cache()
    heard = []  # (thread name, kind, epoch)

    class ThreadRecorder(TrainingCallback):
        def fitStarted(self, start):
            heard.append((threading.current_thread().name, "start", 0))

        def progressed(self, p):
            if p.epoch_ended:
                heard.append((threading.current_thread().name, "epoch", p.epoch))

        def fitEnded(self, summary):
            heard.append((threading.current_thread().name, "end", len(summary.epoch_loss)))

    trainer = PSTrainer(numWorkers=1, numServers=1, maxEpochs=2).addCallback(ThreadRecorder())
    grid = ParamGridBuilder().addGrid(trainer.stepSize, [0.05, 0.5]).build()
    CrossValidator(estimator=trainer, estimatorParamMaps=grid, numFolds=2, parallelism=2,
                   evaluator=BinaryClassificationEvaluator(), seed=1).fit(small)
    fits = 2 * 2 + 1  # every grid point on every fold, then the best on all the data
    kinds = [k for _, k, _ in heard]
    assert (kinds.count("start"), kinds.count("end"), kinds.count("epoch")) == (
        fits, fits, 2 * fits), heard
    by_thread = {}
    for name, kind, epoch in heard:
        by_thread.setdefault(name, []).append((kind, epoch))
    assert not [n for n in by_thread if n == "sparkps-fit"]
    for name, events in by_thread.items():
        # the fits of one thread follow each other: start, epoch 1, epoch 2, end, ...
        assert events == [("start", 0), ("epoch", 1), ("epoch", 2), ("end", 2)] * (
            len(events) // 4), (name, events)
    small.unpersist()
