// philox_check.cu: runs random.cu's Philox block on the HOST (no GPU needed) and compares it
// with known answers: the first is Random123's published known-answer test for Philox4x32-10
// (counter 0, key 0); the others are what tensor/.../random/Philox.java printed for the same
// (seed, counter, lane). build.sh compiles and runs it after the fat binary.
#include <cstdio>
#include "random.cu"

int main() {
    struct Case { unsigned long long seed, counter; unsigned lane; unsigned want[4]; };
    const Case cases[] = {
        {0, 0, 0, {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
        {42, 7, 0, {0x5bbd83b1u, 0x68784c85u, 0x172067aau, 0x2e6b75b7u}},
        {~0ull, 123456789012345ull, 3, {0x2872eb98u, 0xfce141f2u, 0xf1f1fe6du, 0x9f46b5e2u}},
        {0x9E3779B97F4A7C15ull, (unsigned long long)-5LL, 1, {0x725495e0u, 0x710ca824u, 0x83437486u, 0xa6cdc181u}},
    };
    int total = (int)(sizeof(cases) / sizeof(cases[0])), bad = 0;
    for (const Case& c : cases) {
        unsigned w[4];
        weft_random::block(c.seed, c.counter, c.lane, w);
        if (w[0] != c.want[0] || w[1] != c.want[1] || w[2] != c.want[2] || w[3] != c.want[3]) {
            std::printf("philox(seed %llx, counter %llx, lane %u): %08x %08x %08x %08x, expected %08x %08x %08x %08x\n",
                        c.seed, c.counter, c.lane, w[0], w[1], w[2], w[3], c.want[0], c.want[1], c.want[2], c.want[3]);
            ++bad;
        }
    }
    std::printf("[weft-native] philox on the host: %d of %d known answers match\n", total - bad, total);
    return bad ? 1 : 0;
}
