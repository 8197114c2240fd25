#!/usr/bin/env bash
# Installs the PyTorch peer that bench/torch_train_step.py measures against: Debian's CPU
# build of PyTorch with torchvision (run with /usr/bin/python3). Needs root; safe to re-run.
set -euo pipefail
if /usr/bin/python3 -c 'import torch, torchvision' 2>/dev/null; then
  echo "setup-torch: torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') already installed" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends python3-torch python3-torchvision
/usr/bin/python3 -c 'import torch, torchvision; print("setup-torch: torch", torch.__version__, "torchvision", torchvision.__version__)'
