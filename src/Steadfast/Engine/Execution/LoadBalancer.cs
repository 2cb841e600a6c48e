namespace Steadfast;

/// <summary>
/// Shares load among strategies of equal priority (<see cref="ResilienceOptions.LoadBalancing"/>): the places they hold in
/// the ranked list are refilled in a random order weighted by score (Efraimidis–Spirakis: each draws <c>u^(1/score)</c>, the
/// largest goes first), so a strategy with twice the score leads about twice as often and a strategy with no score only
/// after the others. Strategies of different priority keep their places.
/// </summary>
internal static class LoadBalancer
{
    public static void Shuffle<T>(List<(Strategy<T> Strategy, double Score, int Order, StrategyStatistics? Stats)> ranked, OperatingConditions conditions)
    {
        var done = new HashSet<double>();
        for (var i = 0; i < ranked.Count; i++)
        {
            var priority = ranked[i].Strategy.Priority;
            if (!done.Add(priority))
            {
                continue;
            }

            var places = new List<int>();
            for (var j = i; j < ranked.Count; j++)
            {
                if (ranked[j].Strategy.Priority == priority)
                {
                    places.Add(j);
                }
            }

            if (places.Count < 2)
            {
                continue;
            }

            var group = places.ConvertAll(p => (Entry: ranked[p], Key: Key(ranked[p].Score, conditions.Next())));
            group.Sort(static (a, b) => b.Key.CompareTo(a.Key));
            for (var k = 0; k < places.Count; k++)
            {
                ranked[places[k]] = group[k].Entry;
            }
        }
    }

    private static double Key(double score, double u) => score > 0 ? Math.Pow(Math.Max(u, double.Epsilon), 1.0 / score) : -1 + u;
}
