namespace NasSharp;

/// <summary>
/// An error a user can fix: a malformed string, an unknown operation or dataset, a missing or corrupt data file.
/// The CLI prints <see cref="Exception.Message"/> as one line and exits with code 2.
/// </summary>
public class NasInputException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A data file (benchmark table, weights) that is missing or unreadable; the message names the file and the fix.</summary>
public sealed class NasDataException(string message, Exception? inner = null) : NasInputException(message, inner);
