# gen_leaky.py - a log of N processes whose Private Bytes all grow for two
# hours (120 rows a minute apart, seeded): the shape of the bounded-reports
# measurements in docs/HARDENING.md.
#   python3 tests/gen_leaky.py N [ROWS [OUT]]   (OUT: leakN.csv)
import sys, random
n=int(sys.argv[1]); rows=int(sys.argv[2]) if len(sys.argv)>2 else 120
random.seed(1)
out=open(sys.argv[3] if len(sys.argv)>3 else f'leak{n}.csv','w',newline='')
hdr=['"(PDH-CSV 4.0) (UTC)(0)"']+[f'"\\\\SRV\\Process(p{i})\\Private Bytes"' for i in range(n)]
out.write(','.join(hdr)+'\r\n')
base=[random.randint(10**7,10**8) for i in range(n)]
rate=[random.randint(10**4,10**6) for i in range(n)]
for r in range(rows):
    h=r//60; m=r%60
    vals=[str(base[i]+rate[i]*r+random.randint(0,1000)) for i in range(n)]
    out.write(f'"01/01/2026 {h:02d}:{m:02d}:00.000",'+','.join(f'"{v}"' for v in vals)+'\r\n')
