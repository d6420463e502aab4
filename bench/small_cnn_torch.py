#!/usr/bin/python3
"""The PyTorch twin of Weft's first training run (org.weft.recipes.cnn): the same small CNN,
data scaling, optimiser, schedule, batch size and epochs on the real Fashion-MNIST, so the
two wall-clock times can be compared on one machine with the same number of threads.

    /usr/bin/python3 bench/small_cnn_torch.py --epochs 8 --threads 2 [--data DIR]

Prints one line per epoch and a final JSON line with the test accuracy and the seconds
spent training (data loading excluded, evaluation included, as on the Weft side).
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    with (gzip.open(path) if path.endswith(".gz") else open(path, "rb")) as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(data_dir, prefix):
    def find(name):
        p = os.path.join(data_dir, name)
        return p + ".gz" if os.path.exists(p + ".gz") else p
    x = read_idx(find(prefix + "-images-idx3-ubyte")).astype(np.float32)
    y = read_idx(find(prefix + "-labels-idx1-ubyte")).astype(np.int64)
    x = (x / 255.0 - MEAN) / STD
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(64 * 7 * 7, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.25),
            nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=5e-4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    opts = p.parse_args()
    torch.set_num_threads(opts.threads)
    torch.manual_seed(opts.seed)
    xtr, ytr = load(opts.data, "train")
    xte, yte = load(opts.data, "t10k")
    model = SmallCnn()
    opt = torch.optim.SGD(model.parameters(), lr=opts.lr, momentum=opts.momentum, nesterov=True,
                          weight_decay=opts.weight_decay)
    steps_per_epoch = len(xtr) // opts.batch_size
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=opts.epochs * steps_per_epoch)
    start = time.perf_counter()
    for epoch in range(opts.epochs):
        model.train()
        order = torch.randperm(len(xtr))
        total = 0.0
        for s in range(steps_per_epoch):
            idx = order[s * opts.batch_size:(s + 1) * opts.batch_size]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        acc = evaluate(model, xte, yte)
        print("epoch %d loss %.4f test accuracy %.4f (%.0f s)" % (epoch + 1, total / steps_per_epoch, acc,
                                                                  time.perf_counter() - start), flush=True)
    seconds = time.perf_counter() - start
    print(json.dumps({"framework": "pytorch " + torch.__version__, "threads": opts.threads, "epochs": opts.epochs,
                      "test_accuracy": acc, "train_seconds": round(seconds, 1)}))


def evaluate(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1000):
            correct += (model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
    return correct / len(x)


if __name__ == "__main__":
    main()
