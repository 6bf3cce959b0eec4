using NasSharp.Torch.Data;

namespace NasSharp.Pipeline;

/// <summary>Loads the training data a run (or a training evaluator) names: TrainingData's places, or an explicit directory.</summary>
public static class RunData
{
    public static ImageDataset Load(string data, string? dataPath, string dataDirectory, bool train, int? limit)
    {
        if (!TrainingData.Names.Contains(data.ToLowerInvariant()) && data.ToLowerInvariant() != "fashionmnist")
            throw new NasInputException($"Unknown --data '{data}'; available: {string.Join(", ", TrainingData.Names)}.");
        if (dataPath is null) return TrainingData.Load(data, dataDirectory, train, limit);
        if (!Directory.Exists(dataPath))
            throw new NasInputException($"--data-path '{dataPath}' is not a directory; point it at the folder with the {data} files.");
        return data.ToLowerInvariant() switch
        {
            "cifar10" => TrainingData.Load(data, dataPath, train, limit), // a directory holding cifar-10-batches-bin/ or cifar10-sample/
            _ => FashionMnist.Load(dataPath, train, limit),
        };
    }
}
