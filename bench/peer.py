#!/usr/bin/python3
"""peer.py - what a user would write instead of perfleak: pandas read_csv of
the whole log, then a least-squares line per counter (slope per hour), the
leak flagged when the fit is good and the growth large. For make bench."""
import sys

import numpy as np
import pandas as pd


def main(path):
    df = pd.read_csv(path)
    t = pd.to_datetime(df.iloc[:, 0], format="%m/%d/%Y %H:%M:%S.%f")
    hours = ((t - t.iloc[0]).dt.total_seconds() / 3600.0).to_numpy()
    leaks = 0
    for name in df.columns[1:]:
        y = pd.to_numeric(df[name], errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(y)
        if ok.sum() < 3:
            continue
        slope, icpt = np.polyfit(hours[ok], y[ok], 1)
        fit = slope * hours[ok] + icpt
        ss_res = float(((y[ok] - fit) ** 2).sum())
        ss_tot = float(((y[ok] - y[ok].mean()) ** 2).sum()) or 1.0
        growth = slope * (hours[ok][-1] - hours[ok][0])
        if 1 - ss_res / ss_tot > 0.8 and growth > 0.05 * abs(y[ok].mean()):
            leaks += 1
    print(f"{len(df.columns) - 1} counters, {len(df)} rows, {leaks} leaking")


if __name__ == "__main__":
    main(sys.argv[1])
