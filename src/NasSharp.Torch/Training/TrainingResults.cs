namespace NasSharp.Torch.Training;

/// <summary>Reported after every training step (for progress bars).</summary>
public readonly record struct StepProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double Accuracy, double ImagesPerSecond);

/// <summary>One training epoch: mean loss and accuracy over its (augmented) batches, throughput of the training steps.</summary>
public sealed record EpochResult(int Epoch, double Loss, double Accuracy, double ImagesPerSecond, double Seconds, double LearningRateAtEnd);

/// <summary>Loss and top-1 accuracy (0–1) of a model in eval mode over a dataset.</summary>
public sealed record EvaluationResult(double Loss, double Accuracy, int Images);
