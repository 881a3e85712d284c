import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** Colours from the design tokens (SVG attributes, so the strict CSP allows them). */
const BRAND = '#0b5d4b';
const INFO = '#1d4f91';
const GRID = '#c9d1cc';
const TEXT = '#4a5751';

export interface PlotRow {
  i: number;
  label: string;
  singles: number | undefined;
  doubles: number | undefined;
}

/**
 * The chart itself (recharts), loaded only when a player page is opened so the app's first load
 * stays light.
 */
export default function RatingPlot({
  data,
  kinds,
}: {
  data: PlotRow[];
  kinds: ('singles' | 'doubles')[];
}) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart
        data={data}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        accessibilityLayer={false}
      >
        <CartesianGrid stroke={GRID} strokeDasharray="3 3" />
        <XAxis
          dataKey="i"
          tickFormatter={(i: number) => data[i]?.label ?? ''}
          stroke={TEXT}
          fontSize={12}
          minTickGap={24}
        />
        <YAxis domain={['dataMin - 20', 'dataMax + 20']} stroke={TEXT} fontSize={12} width={48} />
        <Tooltip labelFormatter={(i) => data[Number(i)]?.label ?? ''} isAnimationActive={false} />
        {kinds.includes('singles') ? (
          <Line
            type="monotone"
            dataKey="singles"
            name="Singles"
            stroke={BRAND}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
        ) : null}
        {kinds.includes('doubles') ? (
          <Line
            type="monotone"
            dataKey="doubles"
            name="Doubles"
            stroke={INFO}
            strokeWidth={2}
            strokeDasharray="6 3"
            connectNulls
            isAnimationActive={false}
          />
        ) : null}
      </LineChart>
    </ResponsiveContainer>
  );
}
