export interface TrendPoint { date: string; counts: Record<'critical' | 'high' | 'medium' | 'low', number> }
export interface ReportTrend { runs: TrendPoint[]; new: number; fixed: number; open: number }
