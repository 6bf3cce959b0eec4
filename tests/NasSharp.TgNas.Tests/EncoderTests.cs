using NasSharp.Spaces.Nb101;
using NasSharp.Spaces.Nb201;
using NasSharp.TgNas.Text;

namespace NasSharp.TgNas.Tests;

public class EncoderTests
{
    [Fact]
    public void Reference_sentence_matches_sentence_transformers()
    {
        // sentence-transformers all-MiniLM-L6-v2 model card: "This is an example sentence" → 0.0677, 0.0635, 0.0487, 0.0793, 0.0374, …
        var v = SharedEncoder.Instance.Encode(["This is an example sentence"])[0];
        Assert.Equal(384, v.Length);
        double[] expected = [0.0677, 0.0635, 0.0487, 0.0793, 0.0374];
        // the reference is rounded to 4 decimals, so each component must lie within 5e-5 of it
        for (int i = 0; i < expected.Length; i++) Assert.InRange(v[i], expected[i] - 5e-5, expected[i] + 5e-5);
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 5);
    }

    [Fact]
    public void Tokenizer_gives_bert_ids()
    {
        Assert.Equal([101, 2023, 2003, 2019, 2742, 6251, 102], SharedEncoder.Instance.Tokenize("This is an example sentence"));
    }

    [Fact]
    public void Batch_padding_does_not_change_vectors()
    {
        var single = SharedEncoder.Instance.Encode(["Input"])[0];
        var batched = SharedEncoder.Instance.Encode(["Input", "A two-dimensional convolutional operator with a kernel size of 3 by 3"])[0];
        for (int i = 0; i < single.Length; i++) Assert.Equal(single[i], batched[i], 5);
    }

    [Fact]
    public void Shared_ops_of_nb101_and_nb201_get_identical_vectors()
    {
        var c101 = Nb101Space.Ops.Single(o => o.Name == "conv3x3-bn-relu").Description;
        var c201 = Nb201Space.Ops.Single(o => o.Name == "nor_conv_3x3").Description;
        Assert.Equal(SharedEncoder.Cache.Get(c101), SharedEncoder.Cache.Get(c201));
    }

    [Fact]
    public void File_cache_avoids_the_encoder_on_the_second_run()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tgnas-cache-{Guid.NewGuid():N}.tsv");
        try
        {
            var first = new EmbeddingCache(file, () => SharedEncoder.Instance);
            var a = first.GetMany(["Residual connection", "None", "Residual connection"]);
            Assert.Equal(2, first.EncoderCalls);
            var second = new EmbeddingCache(file, () => throw new InvalidOperationException("encoder must not run"));
            var b = second.GetMany(["None", "Residual connection"]);
            Assert.Equal(a[1], b[0]);
            Assert.Equal(a[0], b[1]);
            Assert.Equal(0, second.EncoderCalls);
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!! ### 123")]
    [InlineData("x=##%%&&**((")]
    public void Empty_or_absurd_descriptions_are_rejected(string text)
    {
        var e = Assert.Throws<NasInputException>(() => OperatorDescriptions.Validate("myop", text));
        Assert.Contains("myop", e.Message);
    }

    [Fact]
    public void Overlong_description_is_rejected()
    {
        var text = string.Join(' ', Enumerable.Repeat("convolution", 60));
        Assert.Throws<NasInputException>(() => OperatorDescriptions.Validate("myop", text));
    }

    [Fact]
    public void Op_overrides_parse_and_reject_missing_equals()
    {
        var map = OperatorDescriptions.ParseOverrides(["sep3=Depth-wise  separable convolution 3 by 3"]);
        Assert.Equal("Depth-wise separable convolution 3 by 3", map["sep3"]);
        Assert.Throws<NasInputException>(() => OperatorDescriptions.ParseOverrides(["sep3"]));
    }
}
