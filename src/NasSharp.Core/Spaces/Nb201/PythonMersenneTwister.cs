namespace NasSharp.Spaces.Nb201;

/// <summary>
/// CPython's <c>random</c> module for the two calls NAS-Bench-201 used to fix its architecture order:
/// <c>random.seed(int)</c> (MT19937 seeded by init_by_array) and <c>random.shuffle(list)</c> (getrandbits rejection sampling).
/// Reproducing it lets us compute the official index of any architecture without the benchmark file.
/// </summary>
internal sealed class PythonMersenneTwister
{
    private const int N = 624, M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _mti;

    public PythonMersenneTwister(uint seed)
    {
        // Python seeds with init_by_array over the 32-bit words of |seed|: one word for seeds below 2^32.
        InitGenrand(19650218u);
        uint[] key = [seed];
        int i = 1, j = 0;
        for (int k = Math.Max(N, key.Length); k > 0; k--)
        {
            _mt[i] = (_mt[i] ^ ((_mt[i - 1] ^ (_mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j;
            i++; j++;
            if (i >= N) { _mt[0] = _mt[N - 1]; i = 1; }
            if (j >= key.Length) j = 0;
        }
        for (int k = N - 1; k > 0; k--)
        {
            _mt[i] = (_mt[i] ^ ((_mt[i - 1] ^ (_mt[i - 1] >> 30)) * 1566083941u)) - (uint)i;
            i++;
            if (i >= N) { _mt[0] = _mt[N - 1]; i = 1; }
        }
        _mt[0] = 0x80000000u;
    }

    private void InitGenrand(uint s)
    {
        _mt[0] = s;
        for (_mti = 1; _mti < N; _mti++)
            _mt[_mti] = 1812433253u * (_mt[_mti - 1] ^ (_mt[_mti - 1] >> 30)) + (uint)_mti;
    }

    public uint NextUInt32()
    {
        if (_mti >= N)
        {
            for (int kk = 0; kk < N; kk++)
            {
                uint y = (_mt[kk] & 0x80000000u) | (_mt[(kk + 1) % N] & 0x7fffffffu);
                _mt[kk] = _mt[(kk + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908b0dfu : 0u);
            }
            _mti = 0;
        }
        uint x = _mt[_mti++];
        x ^= x >> 11;
        x ^= (x << 7) & 0x9d2c5680u;
        x ^= (x << 15) & 0xefc60000u;
        x ^= x >> 18;
        return x;
    }

    /// <summary>Python's <c>_randbelow_with_getrandbits</c> for n below 2^32.</summary>
    public int RandBelow(int n)
    {
        int k = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)n);
        uint r;
        do r = NextUInt32() >> (32 - k); while (r >= (uint)n);
        return (int)r;
    }

    /// <summary>Python's <c>random.shuffle</c> (Fisher–Yates from the end).</summary>
    public void Shuffle<T>(IList<T> list)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = RandBelow(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
