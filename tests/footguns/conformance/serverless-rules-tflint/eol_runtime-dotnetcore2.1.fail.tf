resource "aws_lambda_function" "this" {
  runtime = "dotnetcore2.1"
}
