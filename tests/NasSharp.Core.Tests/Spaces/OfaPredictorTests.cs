using NasSharp.Benchmarks;
using NasSharp.Spaces.Mbv3;

namespace NasSharp.Core.Tests.Spaces;

public class OfaPredictorTests
{
    private static readonly OfaAccuracyPredictor Predictor = OfaAccuracyPredictor.Load(TestData.Directory);

    [Fact]
    public void ReproducesTheReferenceExamples()
    {
        Assert.Equal(3, Predictor.Examples.Count);
        foreach (var (name, cfg, f32, f64, active) in Predictor.Examples)
        {
            var p = Predictor.Predict(cfg);
            Assert.True(Math.Abs(p - f64) < 1e-9, $"{name}: {p} vs float64 reference {f64}");
            Assert.True(Math.Abs(p - f32) < 1e-6, $"{name}: {p} vs float32 reference {f32}");
            if (active.Length > 0)
            {
                var f = OfaAccuracyPredictor.Features(cfg);
                Assert.Equal(active, Enumerable.Range(0, 128).Where(i => f[i] == 1f).ToArray());
            }
        }
    }

    [Fact]
    public void Note10Example_Is81Point71Percent_AsTheNotebookPrints()
    {
        var cfg = Mbv3Space.ParseConfig("ks=[5,3,0,0,5,3,0,0,7,7,3,0,5,5,7,3,3,3,5,0] e=[3,3,0,0,4,4,0,0,6,3,4,0,4,4,4,3,6,6,6,0] d=[2,2,3,4,3] r=192");
        Assert.Equal(81.71, 100 * Predictor.Predict(cfg), 2);
    }

    [Fact]
    public void Features_FollowSpec2Feats()
    {
        // Hand-built: smallest net at r=160 -> kernel slots 3i (k=3) and expand slots 60+3i (e=3) for active blocks, resolution slot 123.
        var cfg = new Mbv3Config(Enumerable.Repeat(3, 20).ToArray(), Enumerable.Repeat(3, 20).ToArray(), [2, 2, 2, 2, 2], 160);
        var f = OfaAccuracyPredictor.Features(cfg);
        var expected = new List<int>();
        foreach (var i in new[] { 0, 1, 4, 5, 8, 9, 12, 13, 16, 17 }) { expected.Add(3 * i); }
        foreach (var i in new[] { 0, 1, 4, 5, 8, 9, 12, 13, 16, 17 }) { expected.Add(60 + 3 * i); }
        expected.Add(123);
        Assert.Equal(expected, Enumerable.Range(0, 128).Where(i => f[i] == 1f));
    }

    [Fact]
    public async Task Evaluator_ScoresInPercent_AndIsDeterministic()
    {
        var ev = new OfaPredictorEvaluator(Predictor);
        var rng = new Random(11);
        var space = Mbv3Space.Instance;
        for (int i = 0; i < 50; i++)
        {
            var a = space.Sample(rng);
            var r1 = await ev.EvaluateAsync(a);
            var r2 = await ev.EvaluateAsync(a);
            Assert.Equal(r1.Score, r2.Score);
            Assert.InRange(r1.Score, 70, 90); // the predictor's range over the space (smallest 75.3, largest 83.6)
            Assert.Equal(r1.Score, r1.Metrics[OfaPredictorEvaluator.MetricName]);
        }
    }

    [Fact]
    public async Task LatencyTable_ReproducesTheTutorialsNote10Numbers()
    {
        var lut = OfaLatencyTable.Load(TestData.Directory);
        Assert.Equal(17, lut.Resolutions.Count);
        // Reference sums in acc_predictor.json (from the README's procedure); the notebook prints 24.73 ms for the first.
        double[] expected = [24.73016685342752, 92.39803799478005, 9.890346512078672];
        for (int i = 0; i < 3; i++)
            Assert.Equal(expected[i], lut.LatencyMs(Predictor.Examples[i].Config), 9);
        Assert.Equal(24.73, lut.LatencyMs(Predictor.Examples[0].Config), 2);
        var ev = OfaPredictorEvaluator.Load(TestData.Directory);
        var r = await ev.EvaluateAsync(Mbv3Space.ToArchitecture(Predictor.Examples[0].Config));
        Assert.Equal(expected[0], r.Metrics[OfaPredictorEvaluator.LatencyMetric]!.Value, 9);
        // 20 blocks max + 6 fixed layers
        Assert.Equal(26, OfaLatencyTable.LayerKeys(Predictor.Examples[1].Config).Count);
    }

    [Fact]
    public void MissingFile_IsAClearDataError()
    {
        var e = Assert.Throws<NasDataException>(() => OfaAccuracyPredictor.Load(Path.Combine(Path.GetTempPath(), "no-such-nassharp-dir")));
        Assert.Contains("ofa/acc_predictor.json", e.Message);
    }
}
