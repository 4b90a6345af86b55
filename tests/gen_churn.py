# gen_churn.py - a log of N conhost instances that take a new ID Process every
# row (PID churn), five counters each, ROWS rows a minute apart (seeded):
# the shape of the PID-churn measurements in docs/BENCHMARKS.md.
#   python3 tests/gen_churn.py N ROWS OUT
import sys, random
n=int(sys.argv[1]); rows=int(sys.argv[2]); out=sys.argv[3]
random.seed(3)
cols=['Private Bytes','Working Set','Handle Count','Thread Count','ID Process']
hdr=['"(PDH-CSV 4.0) (UTC)(0)"']
for i in range(n):
    inst='conhost' if i==0 else f'conhost#{i}'
    for c in cols: hdr.append(f'"\\\\SRV\\Process({inst})\\{c}"')
f=open(out,'w',newline='')
f.write(','.join(hdr)+'\r\n')
pid=1000
for r in range(rows):
    h,m=divmod(r,60)
    vals=[]
    for i in range(n):
        pid+=4
        vals += [str(5_000_000+random.randint(0,10**6)), str(8_000_000+random.randint(0,10**6)), str(50+random.randint(0,20)), str(3+random.randint(0,2)), str(pid)]
    f.write(f'"01/{1+h//24:02d}/2026 {h%24:02d}:{m:02d}:00.000",'+','.join(f'"{v}"' for v in vals)+'\r\n')
