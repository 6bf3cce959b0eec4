using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NasSharp.Diffusion.Model;

/// <summary>
/// The CATE-style encoder of spec §4: op embedding ·√d + fixed sinusoidal node positions + an embedding of the noise level
/// σ, then pre-LN blocks whose attention follows the constant adjacency. Each block's output passes its own LayerNorm and
/// all of them are returned (the heads concatenate them). A node with no successor (the output) has every logit masked,
/// which makes its attention uniform over all nodes, exactly as the released code behaves.
/// </summary>
public sealed class MaskedTransformer : nn.Module
{
    private readonly Linear opEmbed, time1, time2;
    private readonly Dropout inputDrop;
    private readonly ModuleList<MaskedBlock> blocks;
    private readonly ModuleList<LayerNorm> outNorms;
    private readonly Tensor positions, mask;
    private readonly int width;

    /// <param name="positionIndex">Index of each node's position embedding (default: the node index).</param>
    /// <param name="scalePositions">Multiply the position embedding by √width like the op embedding. Positions and mask are
    /// buffers: weights files carry the ones they were trained with, whatever the encoding says today.</param>
    public MaskedTransformer(int nodes, int opTypes, bool[,] adjacency, TransformerConfig config, int[]? positionIndex = null,
        bool scalePositions = false) : base("masked_transformer")
    {
        config.Validate();
        width = config.Width;
        opEmbed = nn.Linear(opTypes, width);
        time1 = nn.Linear(width, 4 * width);
        time2 = nn.Linear(4 * width, width);
        inputDrop = nn.Dropout(config.Dropout);
        blocks = new ModuleList<MaskedBlock>(Enumerable.Range(0, config.Blocks).Select(_ => new MaskedBlock(config)).ToArray());
        outNorms = new ModuleList<LayerNorm>(Enumerable.Range(0, config.Blocks).Select(_ => nn.LayerNorm(width)).ToArray());
        positions = NodePositions(positionIndex ?? Enumerable.Range(0, nodes).ToArray(), nodes, width) * (scalePositions ? Math.Sqrt(width) : 1.0);
        var keep = new bool[nodes * nodes];
        for (int i = 0; i < nodes; i++) for (int j = 0; j < nodes; j++) keep[i * nodes + j] = adjacency[i, j];
        mask = tensor(keep, [nodes, nodes]);
        RegisterComponents();
    }

    public int Width => width;

    /// <param name="x">[B, N, F] centred noisy X.</param>
    /// <param name="sigma">[B] noise level of each sample, or [1] when all share one (the sampler).</param>
    /// <returns>The per-block normalised outputs, each [B, N, Width].</returns>
    public List<Tensor> Forward(Tensor x, Tensor sigma)
    {
        var h = opEmbed.forward(x) * Math.Sqrt(width);
        h = inputDrop.forward(h) + positions;
        var temb = time2.forward(F.silu(time1.forward(SigmaEmbedding(sigma, width))));
        h = h + temb.unsqueeze(1);
        var outputs = new List<Tensor>(blocks.Count);
        for (int l = 0; l < blocks.Count; l++)
        {
            h = blocks[l].Forward(h, mask);
            outputs.Add(outNorms[l].forward(h));
        }
        return outputs;
    }

    /// <summary>Score-SDE's sinusoidal embedding of the scalar σ: half sin, half cos, frequencies exp(−k ln 10⁴ /(half−1)).</summary>
    public static Tensor SigmaEmbedding(Tensor sigma, int dims)
    {
        int half = dims / 2;
        var freq = exp(arange(half, dtype: ScalarType.Float32) * (-Math.Log(10000) / (half - 1)));
        var arg = sigma.to_type(ScalarType.Float32).unsqueeze(1) * freq.unsqueeze(0);
        return cat([sin(arg), cos(arg)], 1);
    }

    /// <summary>Transformer sinusoid at each node's position index: sin at even, cos at odd dims.</summary>
    private static Tensor NodePositions(int[] index, int nodes, int dims)
    {
        if (index.Length != nodes || index.Any(i => i < 0)) throw new ArgumentException($"Need {nodes} non-negative position indices.");
        var pe = new float[nodes * dims];
        for (int p = 0; p < nodes; p++)
            for (int i = 0; i < dims; i += 2)
            {
                double angle = index[p] / Math.Pow(10000, (double)i / dims);
                pe[p * dims + i] = (float)Math.Sin(angle);
                if (i + 1 < dims) pe[p * dims + i + 1] = (float)Math.Cos(angle);
            }
        return tensor(pe, [nodes, dims]);
    }
}

/// <summary>One pre-LN block: h + Drop(MHA(LN h)) then h + Drop(FFN(LN h)); attention logits outside the mask are −1e9.</summary>
public sealed class MaskedBlock : nn.Module
{
    private readonly LayerNorm norm1, norm2;
    private readonly Linear q, k, v, o, ff1, ff2;
    private readonly Dropout drop, attnDrop, ffDrop;
    private readonly int heads, dk;
    // A rooted Scalar: an implicit one can be finalized by the GC while libtorch still reads it (seen as a
    // 'Scalar::toFloat' error inside masked_fill during a long diffusion-bo run).
    private static readonly Scalar MaskedOut = (-1e9).ToScalar();

    public MaskedBlock(TransformerConfig c) : base("masked_block")
    {
        heads = c.Heads;
        dk = c.Width / c.Heads;
        norm1 = nn.LayerNorm(c.Width);
        norm2 = nn.LayerNorm(c.Width);
        q = nn.Linear(c.Width, c.Width);
        k = nn.Linear(c.Width, c.Width);
        v = nn.Linear(c.Width, c.Width);
        o = nn.Linear(c.Width, c.Width);
        ff1 = nn.Linear(c.Width, c.FeedForward);
        ff2 = nn.Linear(c.FeedForward, c.Width);
        drop = nn.Dropout(c.Dropout);
        attnDrop = nn.Dropout(c.Dropout);
        ffDrop = nn.Dropout(c.Dropout);
        RegisterComponents();
    }

    public Tensor Forward(Tensor h, Tensor keep)
    {
        long b = h.shape[0], n = h.shape[1];
        var x = norm1.forward(h);
        Tensor Split(Linear proj) => proj.forward(x).view(b, n, heads, dk).transpose(1, 2);
        var scores = Split(q).matmul(Split(k).transpose(-2, -1)) / Math.Sqrt(dk);
        scores = scores.masked_fill(keep.logical_not(), MaskedOut);
        // Softmax over the N keys written out: libtorch's softmax is several times slower on rows this short (8 keys).
        var e = (scores - scores.amax([-1], keepdim: true)).exp_();
        var attn = attnDrop.forward(e / e.sum(-1, keepdim: true));
        var mixed = attn.matmul(Split(v)).transpose(1, 2).reshape(b, n, heads * dk);
        h = h + drop.forward(o.forward(mixed));
        var f = ff2.forward(ffDrop.forward(ff1.forward(norm2.forward(h)).relu()));
        return h + drop.forward(f);
    }
}
