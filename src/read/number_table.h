/* number_table.h - floor(2^(127+e) / 10^f) for f = 0..27, with
 * e = ceil(log2(10^f)) so that the top bit is set, for number.h's exact
 * conversion. The rows are what tools/gen_recip10 prints; make check
 * compares them. */
#ifndef PL_READ_NUMBER_TABLE_H
#define PL_READ_NUMBER_TABLE_H

#include <stdint.h>

static const struct {
    uint64_t hi, lo;
    int e;
} recip10[] = {
    {0x8000000000000000u, 0x0000000000000000u, 0},
    {0xccccccccccccccccu, 0xccccccccccccccccu, 4},
    {0xa3d70a3d70a3d70au, 0x3d70a3d70a3d70a3u, 7},
    {0x83126e978d4fdf3bu, 0x645a1cac083126e9u, 10},
    {0xd1b71758e219652bu, 0xd3c36113404ea4a8u, 14},
    {0xa7c5ac471b478423u, 0x0fcf80dc33721d53u, 17},
    {0x8637bd05af6c69b5u, 0xa63f9a49c2c1b10fu, 20},
    {0xd6bf94d5e57a42bcu, 0x3d32907604691b4cu, 24},
    {0xabcc77118461cefcu, 0xfdc20d2b36ba7c3du, 27},
    {0x89705f4136b4a597u, 0x31680a88f8953030u, 30},
    {0xdbe6fecebdedd5beu, 0xb573440e5a884d1bu, 34},
    {0xafebff0bcb24aafeu, 0xf78f69a51539d748u, 37},
    {0x8cbccc096f5088cbu, 0xf93f87b7442e45d3u, 40},
    {0xe12e13424bb40e13u, 0x2865a5f206b06fb9u, 44},
    {0xb424dc35095cd80fu, 0x538484c19ef38c94u, 47},
    {0x901d7cf73ab0acd9u, 0x0f9d37014bf60a10u, 50},
    {0xe69594bec44de15bu, 0x4c2ebe687989a9b3u, 54},
    {0xb877aa3236a4b449u, 0x09befeb9fad487c2u, 57},
    {0x9392ee8e921d5d07u, 0x3aff322e62439fcfu, 60},
    {0xec1e4a7db69561a5u, 0x2b31e9e3d06c32e5u, 64},
    {0xbce5086492111aeau, 0x88f4bb1ca6bcf584u, 67},
    {0x971da05074da7beeu, 0xd3f6fc16ebca5e03u, 70},
    {0xf1c90080baf72cb1u, 0x5324c68b12dd6338u, 74},
    {0xc16d9a0095928a27u, 0x75b7053c0f178293u, 77},
    {0x9abe14cd44753b52u, 0xc4926a9672793542u, 80},
    {0xf79687aed3eec551u, 0x3a83ddbd83f52204u, 84},
    {0xc612062576589ddau, 0x95364afe032a819du, 87},
    {0x9e74d1b791e07e48u, 0x775ea264cf55347du, 90},
};

#endif
