using NasSharp.Diffusion.Model;

namespace NasSharp.Diffusion.Tests;

/// <summary>The weights we trained and ship in data/diffusion (copied next to the test assembly by the Diffusion csproj).</summary>
internal static class ShippedModels
{
    public static readonly Lazy<ScoreModel> Score = new(() => ScoreModel.Load(ScoreModel.DefaultPath("nb201"), "nb201"));
    public static readonly Lazy<PredictorModel> Predictor = new(() => PredictorModel.Load(PredictorModel.DefaultPath("nb201"), "nb201"));
}
