#!/usr/bin/env bash
# One training step (forward, backward, update) of TASN and of its baseline, one JVM, the
# jobs' settings: bench/model_step.sh [tiny|cpu|paper] [batch=8] [steps=5]. JSON lines.
exec "$(dirname "${BASH_SOURCE[0]}")/_java.sh" tasn.model.StepTimeBench "$@"
