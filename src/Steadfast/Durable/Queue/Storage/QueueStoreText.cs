using System.Globalization;

namespace Steadfast;

/// <summary>Texts every queue store writes the same way.</summary>
internal static class QueueStoreText
{
    public static string LeaseExpired(int attempts, string? previousError)
        => string.Create(CultureInfo.InvariantCulture,
            $"The lease expired on delivery {attempts} of {attempts} without the item being completed (its worker probably died).")
           + (previousError is null ? string.Empty : " Previous error: " + previousError);
}
